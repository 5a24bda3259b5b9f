/**
 * Object name rules, with the messages the API server gives (apimachinery's `validation.IsDNS1123Subdomain`,
 * `IsDNS1123Label`, `IsDNS1035Label`). Each kind picks its rule as its validation package does in 1.32:
 * Namespace (`ValidateNamespaceName`) and StatefulSet (`ValidateStatefulSetName`) take a DNS-1123 label, Service
 * (`ValidateServiceName`) a DNS-1035 label, everything else, custom resources included, a DNS-1123 subdomain.
 */

/** One problem with a name, in the shape `invalidFields` takes. */
export interface NameError {
  field: 'metadata.name';
  reason: 'FieldValueInvalid';
  detail: string;
}

export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

interface RuleSpec {
  maxLength: number;
  pattern: RegExp;
  message: string;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';

// The double space after "'my-name'," is in the API server's own text.
const RULES: Record<NameRule, RuleSpec> = {
  'dns1123-subdomain': {
    maxLength: 253,
    pattern: new RegExp(`^${SUBDOMAIN}$`),
    message: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN}')`,
  },
  'dns1123-label': {
    maxLength: 63,
    pattern: new RegExp(`^${LABEL}$`),
    message: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`,
  },
  'dns1035-label': {
    maxLength: 63,
    pattern: new RegExp(`^${DNS1035}$`),
    message: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035}')`,
  },
};

/** The rule of a kind's names. */
export function nameRuleOf(group: string, kind: string): NameRule {
  if (group === '' && kind === 'Namespace') return 'dns1123-label';
  if (group === '' && kind === 'Service') return 'dns1035-label';
  if (group === 'apps' && kind === 'StatefulSet') return 'dns1123-label';
  return 'dns1123-subdomain';
}

/** The field errors of `name` under `rule`, length first as the API server lists them; empty when valid. */
export function nameErrors(rule: NameRule, name: string): NameError[] {
  const spec = RULES[rule];
  const shown = JSON.stringify(name);
  const errors: NameError[] = [];
  if (name.length > spec.maxLength) {
    errors.push({ field: 'metadata.name', reason: 'FieldValueInvalid', detail: `Invalid value: ${shown}: must be no more than ${spec.maxLength} characters` });
  }
  if (!spec.pattern.test(name)) errors.push({ field: 'metadata.name', reason: 'FieldValueInvalid', detail: `Invalid value: ${shown}: ${spec.message}` });
  return errors;
}
