/**
 * Fields a real API server fills in on create, for the built-in kinds where kubectl output shows them.
 */
import type { KubeObject } from '../types.js';
import type { ResourceType } from './resource-types.js';

let nextServiceIp = 100;

/** Returns the object with server defaults applied (a Service gets a type and a cluster IP). */
export function withDefaults(type: ResourceType, object: KubeObject): KubeObject {
  if (type.group === '' && type.kind === 'Service') {
    const spec = { type: 'ClusterIP', sessionAffinity: 'None', ...object.spec } as Record<string, unknown>;
    if (spec.type !== 'ExternalName' && !spec.clusterIP) {
      const n = nextServiceIp++;
      spec.clusterIP = `10.96.${(n >> 8) & 0xff}.${n & 0xff}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    return { ...object, spec, status: object.status ?? { loadBalancer: {} } };
  }
  if (type.group === '' && type.kind === 'Namespace') {
    return { ...object, spec: { finalizers: ['kubernetes'], ...object.spec }, status: { phase: 'Active' } };
  }
  return object;
}
