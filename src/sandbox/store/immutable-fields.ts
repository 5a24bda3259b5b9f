/**
 * Update validation of the fields a real API server will not let change (`ValidateConfigMapUpdate`,
 * `ValidateSecretUpdate`): a Secret's type, and the contents of a ConfigMap or Secret marked `immutable: true`.
 * Called on every update, dry runs included, before anything is stored.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../types.js';
import type { ResourceType } from './resource-types.js';

export interface ImmutableFieldError {
  field: string;
  detail: string;
  reason: 'FieldValueInvalid' | 'FieldValueForbidden';
}

const WHEN_SET = 'Forbidden: field is immutable when `immutable` is set';

/** The errors of changing `current` into `next`; empty when the update is allowed. */
export function immutableFieldErrors(type: ResourceType, current: KubeObject, next: KubeObject): ImmutableFieldError[] {
  if (type.group !== '' || (type.kind !== 'ConfigMap' && type.kind !== 'Secret')) return [];
  const errors: ImmutableFieldError[] = [];
  if (type.kind === 'Secret' && current.type !== next.type) {
    errors.push({ field: 'type', reason: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(next.type)}: field is immutable` });
  }
  if (current.immutable === true) {
    if (next.immutable !== true) errors.push({ field: 'immutable', reason: 'FieldValueForbidden', detail: WHEN_SET });
    const fields = type.kind === 'Secret' ? ['data'] : ['data', 'binaryData'];
    for (const field of fields) {
      if (!isDeepStrictEqual(current[field] ?? {}, next[field] ?? {})) errors.push({ field, reason: 'FieldValueForbidden', detail: WHEN_SET });
    }
  }
  return errors;
}
