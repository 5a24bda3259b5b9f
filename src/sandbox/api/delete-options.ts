/**
 * DeleteOptions of a DELETE (one object or a collection). kubectl 1.32 sends them as a JSON body
 * (`{"propagationPolicy":"Background","dryRun":["All"]}`); other clients use the query string. Both are read, and
 * either one asking for a dry run makes it one: reading only the query once let `--dry-run=server` really delete.
 */
import { ApiError } from '../../core/api-status.js';
import { isObject } from '../../core/json.js';
import type { DeleteOptions, PropagationPolicy } from '../store/store.js';
import { parseJsonObject } from './http-util.js';

export type { PropagationPolicy } from '../store/store.js';

const POLICIES: readonly PropagationPolicy[] = ['Foreground', 'Background', 'Orphan'];

/** The options as the store takes them; the propagation policy is carried out by the garbage collector. */
export type ParsedDeleteOptions = DeleteOptions;

function invalidOptions(field: string, detail: string): ApiError {
  return ApiError.of('Invalid', `DeleteOptions.meta.k8s.io "" is invalid: ${field}: ${detail}`, {
    name: '',
    group: 'meta.k8s.io',
    kind: 'DeleteOptions',
    causes: [{ reason: 'FieldValueNotSupported', message: detail, field }],
  });
}

function dryRunOf(values: unknown[]): boolean {
  for (const value of values) {
    if (value !== 'All') throw invalidOptions('dryRun', `Unsupported value: ${JSON.stringify(value)}: supported values: "All"`);
  }
  return values.length > 0;
}

/** The options of a DELETE from its query and body; throws 400/422 as the API server does for bad ones. */
export function deleteOptionsOf(query: URLSearchParams, text: string): ParsedDeleteOptions {
  const body = text.trim() ? parseJsonObject(text) : {};
  const bodyDryRun = Array.isArray(body.dryRun) ? (body.dryRun as unknown[]) : [];
  const fromQuery = dryRunOf(query.getAll('dryRun'));
  const dryRun = dryRunOf(bodyDryRun) || fromQuery;

  const policy = (body.propagationPolicy ?? query.get('propagationPolicy') ?? undefined) as string | undefined;
  if (policy !== undefined && !POLICIES.includes(policy as PropagationPolicy)) {
    throw invalidOptions('propagationPolicy', `Unsupported value: ${JSON.stringify(policy)}: supported values: ${POLICIES.map((p) => JSON.stringify(p)).join(', ')}`);
  }

  const grace = body.gracePeriodSeconds ?? (query.has('gracePeriodSeconds') ? Number(query.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) {
    throw ApiError.of('BadRequest', `invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
  }

  const preconditions = isObject(body.preconditions) ? body.preconditions : {};
  return {
    dryRun,
    ...(policy !== undefined ? { propagationPolicy: policy as PropagationPolicy } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: Math.max(0, grace) } : {}),
    ...(typeof preconditions.resourceVersion === 'string' ? { resourceVersion: preconditions.resourceVersion } : {}),
    ...(typeof preconditions.uid === 'string' ? { uid: preconditions.uid } : {}),
  };
}
