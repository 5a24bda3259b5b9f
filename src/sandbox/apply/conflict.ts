/**
 * The API server's answer to a server-side apply that would change fields other managers own: 409 Conflict,
 * `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas`, one
 * cause per field (reason `conflict`, the field's path).
 */
import { ApiError } from '../../core/api-status.js';
import { pathString } from './field-set.js';
import type { Owner } from './managed-fields.js';

/** `conflict with "kubectl"` for an applier; an updater is named with its apiVersion (`using apps/v1`). */
function managerText(owner: Owner): string {
  const base = `conflict with ${JSON.stringify(owner.manager)}${owner.subresource ? ` with subresource ${JSON.stringify(owner.subresource)}` : ''}`;
  return owner.operation === 'Update' ? `${base} using ${owner.apiVersion}` : base;
}

/** How the API server identifies a manager in a cause's message: the entry as JSON, without fields or time. */
function managerKey(owner: Owner): string {
  return JSON.stringify({ manager: owner.manager, operation: owner.operation, apiVersion: owner.apiVersion, ...(owner.subresource ? { subresource: owner.subresource } : {}) });
}

export function applyConflict(conflicts: { owner: Owner; paths: Iterable<string[]> }[]): ApiError {
  const all = conflicts.flatMap(({ owner, paths }) => [...paths].map((p) => ({ owner, path: pathString(p) }))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let message: string;
  if (all.length === 1) {
    message = `Apply failed with 1 conflict: ${managerText(all[0]!.owner)}: ${all[0]!.path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { owner, path } of all) byManager.set(managerText(owner), [...(byManager.get(managerText(owner)) ?? []), path]);
    const lines = [...byManager.keys()].sort().flatMap((m) => [`${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${all.length} conflicts: ${lines.join('\n')}`;
  }
  const causes = all.map(({ owner, path }) => ({ reason: 'conflict', message: `conflict with ${JSON.stringify(managerKey(owner))}: ${path}`, field: path }));
  return ApiError.of('Conflict', message, { causes });
}
