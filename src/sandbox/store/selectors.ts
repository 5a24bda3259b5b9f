/**
 * Label and field selectors of LIST and WATCH requests, parsed once per request.
 */
import type { KubeObject } from '../types.js';
import { ApiError } from '../../core/api-status.js';

export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Selector = (object: KubeObject) => boolean;

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

export function parseLabelSelector(text: string): Requirement[] {
  return splitTerms(text).map((term) => {
    let m = /^(!)?\s*([\w./-]+)$/.exec(term);
    if (m) return { key: m[2]!, op: m[1] ? 'notexists' : 'exists' };
    m = /^([\w./-]+)\s*(==|!=|=)\s*([\w.-]*)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]! };
    m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
    }
    throw ApiError.of('BadRequest', `unable to parse requirement: invalid label selector term "${term}"`);
  });
}

function matches(requirements: Requirement[], get: (key: string) => string | undefined): boolean {
  return requirements.every((r) => {
    const actual = get(r.key);
    switch (r.op) {
      case 'exists':
        return actual !== undefined;
      case 'notexists':
        return actual === undefined;
      case 'eq':
        return actual === r.value;
      case 'neq':
        return actual !== r.value;
      case 'in':
        return actual !== undefined && r.values.includes(actual);
      case 'notin':
        return actual === undefined || !r.values.includes(actual);
    }
  });
}

/** Fields a real API server accepts for every kind; anything else is a 400 like there. */
const FIELDS: Record<string, (o: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

function path(dotted: string) {
  return (o: KubeObject) => {
    let value: unknown = o;
    for (const key of dotted.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    return value === undefined || value === null ? '' : String(value);
  };
}

// Events also select on what they are about: `kubectl describe` lists a Model's events this way.
for (const field of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
  FIELDS[`involvedObject.${field}`] = path(`involvedObject.${field}`);
}
for (const field of ['reason', 'type', 'source', 'reportingComponent', 'status.phase']) FIELDS[field] = path(field);

export function parseFieldSelector(text: string): Requirement[] {
  const requirements = splitTerms(text).map((term): Requirement => {
    const m = /^([\w.]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) throw ApiError.of('BadRequest', `invalid selector: '${text}'; can't understand '${term}'`);
    return { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]!.trim() };
  });
  for (const r of requirements) {
    if (!(r.key in FIELDS)) throw ApiError.of('BadRequest', `field label not supported: ${r.key}`);
  }
  return requirements;
}

/** The combined selector of a request; undefined parts match everything. */
export function selectorFor(labelSelector?: string, fieldSelector?: string): Selector {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  return (object) =>
    matches(labels, (key) => object.metadata.labels?.[key]) && matches(fields, (key) => FIELDS[key]!(object));
}
