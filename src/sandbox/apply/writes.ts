/**
 * The request handlers' entry points to field management: who the manager of a request is, and the object of a
 * create, update, patch or apply with its managedFields. Kept apart from the handlers so that they only call in.
 */
import type { KubeObject } from '../types.js';
import type { ResourceType } from '../store/resource-types.js';
import { applySchema } from '../store/schema.js';
import type { Write } from './managed-fields.js';
import { recordApply, recordUpdate } from './managed-fields.js';

/** RFC 3339 at second precision, as managedFields times are written. */
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The request's field manager: `fieldManager`, else the User-Agent's product (`kubectl/v1.32.4 (…)` → `kubectl`),
 * printable characters only and at most 128 of them, as the API server derives it.
 */
export function managerOf(query: URLSearchParams, userAgent: string | undefined): string {
  const asked = query.get('fieldManager');
  if (asked) return asked;
  return [...(userAgent ?? '').split('/')[0]!].filter((c) => c >= ' ' && c !== '\u007f').join('').slice(0, 128);
}

/** The object as the store will keep it (defaults in, unknown fields out), so the writer owns defaulted fields too. */
function typed(type: ResourceType, object: KubeObject): KubeObject {
  if (!type.schema) return object;
  try {
    return applySchema(type.schema, object).pruned as KubeObject;
  } catch {
    return object; // the store answers the decode error
  }
}

function writeOf(type: ResourceType, manager: string, apiVersion: string, subresource?: string): Write {
  return { type, manager, apiVersion, ...(subresource === 'status' ? { subresource: 'status' } : {}), now: now() };
}

/** Called before a create, update or non-apply patch is stored: `next` with this write's fields recorded. */
export function managedUpdate(type: ResourceType, manager: string, current: KubeObject | undefined, next: KubeObject, subresource?: string): KubeObject {
  const recorded = recordUpdate(writeOf(type, manager, next.apiVersion, subresource), current, typed(type, next));
  // Only the managedFields come from the typed copy: the store must still see (and reject or warn on) unknown fields.
  return { ...next, metadata: { ...next.metadata, managedFields: recorded.metadata.managedFields } };
}

/** Called for a server-side apply: the object to store (create when `current` is undefined). Throws 409 on conflicts. */
export function managedApply(type: ResourceType, manager: string, current: KubeObject | undefined, config: KubeObject, force: boolean, subresource?: string): KubeObject {
  return recordApply(writeOf(type, manager, config.apiVersion, subresource), current, config, force);
}
