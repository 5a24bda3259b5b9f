/**
 * What a real API server's registry strategies do to an object before storing it, for the built-in kinds where
 * kubectl output shows it: defaults on create (a Service's type and cluster IP, a Namespace's finalizer and phase)
 * and the fields every write re-derives (a Namespace's name label, a Secret's data).
 */
import type { KubeObject } from '../types.js';
import type { ResourceType } from './resource-types.js';
import { normalizeSecret } from './secrets.js';

let nextServiceIp = 100;

/** The label the API server keeps on every namespace, equal to its name (it cannot be changed away). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function isCore(type: ResourceType, kind: string): boolean {
  return type.group === '' && type.kind === kind;
}

/** Called on create: the object with server defaults applied. A dry run allocates no cluster IP for good. */
export function withDefaults(type: ResourceType, object: KubeObject, options: { dryRun?: boolean } = {}): KubeObject {
  if (isCore(type, 'Service')) {
    const spec = { type: 'ClusterIP', sessionAffinity: 'None', ...object.spec } as Record<string, unknown>;
    // A single-stack IPv4 cluster, as kind and most clouds run: the registry fills the IP family fields and the
    // internal traffic policy of every Service that gets a cluster IP (kubectl describe prints them).
    if (spec.type !== 'ExternalName') {
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.ipFamilies ??= ['IPv4'];
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    if (spec.type !== 'ExternalName' && !spec.clusterIP) {
      const n = options.dryRun ? nextServiceIp : nextServiceIp++;
      spec.clusterIP = `10.96.${(n >> 8) & 0xff}.${n & 0xff}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    return { ...object, spec, status: object.status ?? { loadBalancer: {} } };
  }
  if (isCore(type, 'Namespace')) {
    // The API server insists on its own finalizer on create, whatever the client sent.
    const finalizers = (object.spec?.finalizers ?? []) as string[];
    const spec = { ...object.spec, finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
    return withDerived(type, { ...object, spec, status: { phase: 'Active' } });
  }
  return withDerived(type, object);
}

/** Called on every create and update: the fields the server derives from the rest, whatever the client sent. */
export function withDerived(type: ResourceType, object: KubeObject): KubeObject {
  if (isCore(type, 'Namespace')) {
    const labels = { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: object.metadata.name };
    return { ...object, metadata: { ...object.metadata, labels } };
  }
  if (isCore(type, 'Secret')) return normalizeSecret(object);
  if (isCore(type, 'LimitRange')) return withLimitDefaults(object);
  return object;
}

type Quantities = Record<string, string>;
type LimitItem = { type?: string; max?: Quantities; min?: Quantities; default?: Quantities; defaultRequest?: Quantities };

/**
 * SetDefaults_LimitRangeItem, run on every decode: a Container limit's default limit falls back to its max, its
 * default request to the default limit, then to its min (per resource).
 */
function withLimitDefaults(object: KubeObject): KubeObject {
  const limits = object.spec?.limits;
  if (!Array.isArray(limits)) return object;
  const defaulted = (limits as LimitItem[]).map((item) => {
    if (item?.type !== 'Container') return item;
    const limit: Quantities = { ...item.max, ...item.default };
    const request: Quantities = { ...item.min, ...limit, ...item.defaultRequest };
    return {
      ...item,
      ...(Object.keys(limit).length > 0 ? { default: limit } : {}),
      ...(Object.keys(request).length > 0 ? { defaultRequest: request } : {}),
    };
  });
  return { ...object, spec: { ...object.spec, limits: defaulted } };
}
