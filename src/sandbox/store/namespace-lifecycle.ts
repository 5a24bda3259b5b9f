/**
 * The NamespaceLifecycle admission plugin's two rules, as the store applies them before any write (dry runs
 * included): the namespaces a cluster cannot work without may not be deleted, and nothing new may be created in a
 * namespace that is being terminated.
 */
import type { KubeObject } from '../types.js';
import { forbidden } from './api-error.js';
import type { ResourceType } from './resource-types.js';

/** The namespaces the API server refuses to delete. */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export function isNamespaceType(type: ResourceType): boolean {
  return type.group === '' && type.kind === 'Namespace';
}

/** Called before a delete: throws 403 for an immortal namespace. */
export function admitDelete(type: ResourceType, name: string): void {
  if (isNamespaceType(type) && IMMORTAL_NAMESPACES.has(name)) throw forbidden(type, name, 'this namespace may not be deleted');
}

/** Called before a create of a namespaced object: throws 403 when its namespace is terminating. */
export function admitCreate(type: ResourceType, name: string, namespace: KubeObject): void {
  const ns = namespace.metadata.name;
  if (!namespace.metadata.deletionTimestamp) return;
  throw forbidden(type, name, `unable to create new content in namespace ${ns} because it is being terminated`, {
    reason: 'NamespaceTerminating',
    message: `namespace ${ns} is being terminated`,
    field: 'metadata.namespace',
  });
}
