/**
 * Small facts the store reads off an object on every write: which part of it is the spec, whether its kind keeps a
 * generation, which finalizers hold it, and where it sorts in a list.
 */
import type { KubeObject } from '../types.js';
import type { ResourceType } from './resource-types.js';
import { CRD_GROUP, CRD_KIND } from './resource-types.js';

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specPart(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

/**
 * Kinds whose registry strategy keeps metadata.generation: custom resources, CRDs and the workload kinds. A
 * ConfigMap, Secret, Service, Namespace, Pod or Event has none on a real 1.32 API server.
 */
export function tracksGeneration(type: ResourceType): boolean {
  return !type.builtin || type.group === 'apps' || (type.group === CRD_GROUP && type.kind === CRD_KIND);
}

export function finalizersOf(object: KubeObject): string[] {
  const list = object.metadata.finalizers;
  return Array.isArray(list) ? (list as string[]) : [];
}

export function sortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
}
