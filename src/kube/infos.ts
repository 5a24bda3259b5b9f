/**
 * From loaded manifests to kubectl's "infos": each object with its REST mapping and effective namespace, or the
 * error kubectl would report for it (unknown kind, namespace mismatch).
 */
import type { KubeTarget } from './access.js';
import { discoveryFor, type ResourceMapping } from './discovery.js';
import type { KubeObjectJson, Manifest } from './manifests.js';

export interface Info {
  object: KubeObjectJson;
  source: string;
  mapping: ResourceMapping;
  /** Empty for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

export type Resolved = { info: Info } | { error: unknown };

/** Resolves every manifest in input order; mapping lookups are shared through the run's discovery cache. */
export async function resolveInfos(manifests: Manifest[], target: KubeTarget, cache: Map<string, unknown>): Promise<Resolved[]> {
  const discovery = discoveryFor(target.client, cache);
  return Promise.all(
    manifests.map(async ({ object, source }): Promise<Resolved> => {
      const name = object.metadata.name ?? '';
      const own = object.metadata.namespace ?? '';
      let mapping;
      try {
        mapping = await discovery.forKind(object.apiVersion, object.kind);
      } catch (error) {
        return { error };
      }
      if (!mapping) {
        return {
          error: new Error(
            `error: resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(own)} from ${JSON.stringify(source)}: ` +
              `no matches for kind ${JSON.stringify(object.kind)} in version ${JSON.stringify(object.apiVersion)}\nensure CRDs are installed first`,
          ),
        };
      }
      let namespace = '';
      if (mapping.namespaced) {
        if (target.explicitNamespace && own && own !== target.namespace) {
          return {
            error: new Error(
              `error: the namespace from the provided object ${JSON.stringify(own)} does not match the namespace ${JSON.stringify(target.namespace)}. You must pass '--namespace=${own}' to perform this operation.`,
            ),
          };
        }
        namespace = own || target.namespace;
        // kubectl writes the effective namespace into the object, so it is part of the last-applied annotation.
        object.metadata = { ...object.metadata, namespace };
      }
      return { info: { object, source, mapping, namespace, name } };
    }),
  );
}

/** kubectl's `Info.String()`, quoted in some of its error messages. */
export function infoString(info: Info): string {
  const m = info.mapping;
  const gv = `${m.group}/${m.version}`;
  return `Resource: ${JSON.stringify(`${gv}, Resource=${m.resource}`)}, GroupVersionKind: ${JSON.stringify(`${gv}, Kind=${m.kind}`)}\nName: ${JSON.stringify(info.name)}, Namespace: ${JSON.stringify(info.namespace)}`;
}

/** Groups compiled into kubectl: their kinds get strategic merge patches; every other kind gets JSON merge. */
const builtinGroups = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'apiregistration.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'node.k8s.io',
  'scheduling.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'storagemigration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
]);

export function isBuiltin(mapping: ResourceMapping): boolean {
  return builtinGroups.has(mapping.group);
}
