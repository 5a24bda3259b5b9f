/**
 * Which objects a `TYPE NAME…`, `TYPE/NAME`, `--all` or `-l` argument list means, resolved like kubectl's
 * resource builder: names are fetched one by one (in the order given), collections are listed.
 */
import type { KubeTarget } from './access.js';
import { collectionPath, discoveryFor, objectPath, type ResourceMapping } from './discovery.js';
import type { KubeObj } from './watch.js';

export interface Selected {
  mapping: ResourceMapping;
  namespace: string;
  name: string;
  /** The object as fetched or listed (absent when `fetch` was false). */
  object?: KubeObj;
}

export type Selection = { ok: Selected } | { error: unknown };

export interface SelectSpec {
  resource: string;
  names: string[];
  all: boolean;
  selector?: string;
  allNamespaces?: boolean;
}

/** Thrown for a resource type the server does not serve, with kubectl's message. */
export class UnknownResourceError extends Error {}

export async function resolveMapping(target: KubeTarget, cache: Map<string, unknown>, resource: string): Promise<ResourceMapping> {
  const mapping = await discoveryFor(target.client, cache).forResource(resource);
  if (!mapping) throw new UnknownResourceError(`error: the server doesn't have a resource type ${JSON.stringify(resource)}`);
  return mapping;
}

/** Resolves the selection in kubectl's order; `fetch` GETs named objects (kubectl's `--latest`). */
export async function selectObjects(target: KubeTarget, cache: Map<string, unknown>, spec: SelectSpec, options: { fetch: boolean; signal: AbortSignal }): Promise<Selection[]> {
  const named: { resource: string; name: string }[] = [];
  for (const arg of spec.names) {
    const slash = arg.indexOf('/');
    named.push(slash === -1 ? { resource: spec.resource, name: arg } : { resource: arg.slice(0, slash), name: arg.slice(slash + 1) });
  }
  if (named.length > 0) {
    return Promise.all(
      named.map(async ({ resource, name }): Promise<Selection> => {
        try {
          const mapping = await resolveMapping(target, cache, resource);
          const namespace = mapping.namespaced ? target.namespace : '';
          if (!options.fetch) return { ok: { mapping, namespace, name } };
          const object = (await target.client.requestOk('GET', objectPath(mapping, namespace, name), { signal: options.signal })) as KubeObj;
          return { ok: { mapping, namespace, name, object } };
        } catch (error) {
          return { error };
        }
      }),
    );
  }
  const mapping = await resolveMapping(target, cache, spec.resource);
  const namespace = mapping.namespaced && !spec.allNamespaces ? target.namespace : '';
  const list = (await target.client.requestOk('GET', collectionPath(mapping, namespace), {
    query: { labelSelector: spec.selector || undefined },
    signal: options.signal,
  })) as { items?: KubeObj[] };
  return (list.items ?? []).map((object) => ({
    ok: { mapping, namespace: (object.metadata as { namespace?: string } | undefined)?.namespace ?? namespace, name: object.metadata?.name ?? '', object },
  }));
}
