/**
 * kube-controller-manager's resourcequota controller, for object counts: a ResourceQuota's status gets `hard`
 * (its spec's) and `used` (what the namespace holds) when every resource it limits is a count the sandbox can
 * take: `pods` (not finished), `services`, `services.loadbalancers`, `services.nodeports`, `configmaps`,
 * `secrets`, `resourcequotas` and `count/<resource>[.<group>]`. A quota on compute or storage (cpu, memory,
 * requests.*, limits.*) keeps an empty status rather than a made-up usage. Nothing is enforced at admission.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../types.js';
import type { Store, StoreEvent } from '../store/store.js';
import { typeKeyOf } from '../store/store.js';

export interface ResourceQuotaController {
  stop(): void;
}

export function startResourceQuotaController(options: { store: Store }): ResourceQuotaController {
  const { store } = options;
  const quotaType = store.types.byKind('', 'ResourceQuota')!;
  const pending = new Set<string>();
  let stopped = false;

  const inNamespace = (group: string, kind: string, namespace: string): KubeObject[] => {
    const type = store.types.byKind(group, kind);
    return type ? store.select(type, namespace) : [];
  };
  const services = (namespace: string) => inNamespace('', 'Service', namespace);

  /** The usage of one resource name in a namespace, or undefined when it is not a count the sandbox can take. */
  function usage(resource: string, namespace: string): number | undefined {
    switch (resource) {
      case 'pods':
        return inNamespace('', 'Pod', namespace).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
      case 'services':
        return services(namespace).length;
      case 'services.loadbalancers':
        return services(namespace).filter((s) => s.spec?.type === 'LoadBalancer').length;
      case 'services.nodeports':
        return services(namespace)
          .filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer')
          .reduce((n, s) => n + ((s.spec?.ports ?? []) as unknown[]).length, 0);
      case 'configmaps':
        return inNamespace('', 'ConfigMap', namespace).length;
      case 'secrets':
        return inNamespace('', 'Secret', namespace).length;
      case 'resourcequotas':
        return inNamespace('', 'ResourceQuota', namespace).length;
    }
    if (!resource.startsWith('count/')) return undefined;
    const name = resource.slice('count/'.length);
    const dot = name.indexOf('.');
    const [plural, group] = dot === -1 ? [name, ''] : [name.slice(0, dot), name.slice(dot + 1)];
    const type = store.types.all().find((t) => t.plural === plural && t.group === group && t.namespaced);
    return type ? store.select(type, namespace).length : undefined;
  }

  function sync(namespace: string): void {
    for (const quota of store.select(quotaType, namespace)) {
      if (quota.metadata.deletionTimestamp) continue;
      const hard = (quota.spec?.hard ?? {}) as Record<string, string>;
      const used: Record<string, string> = {};
      let countable = true;
      for (const resource of Object.keys(hard)) {
        const n = usage(resource, namespace);
        if (n === undefined) countable = false;
        else used[resource] = String(n);
      }
      if (!countable) continue;
      const status = { hard, used };
      if (isDeepStrictEqual(quota.status, status)) continue;
      store.update(quotaType, { ...quota, status }, { subresource: 'status' });
    }
  }

  /** Writes wait for a microtask: a store listener must not write while the store notifies. */
  function enqueue(namespace: string): void {
    if (pending.size === 0) {
      queueMicrotask(() => {
        const namespaces = [...pending];
        pending.clear();
        if (stopped) return;
        for (const ns of namespaces) {
          try {
            sync(ns);
          } catch {
            // Lost a race with the namespace going away.
          }
        }
      });
    }
    pending.add(namespace);
  }

  function onChange(event: StoreEvent): void {
    const namespace = event.object.metadata.namespace;
    if (!namespace) return;
    // Its own status writes change nothing it counts.
    if (event.typeKey === typeKeyOf('', 'ResourceQuota') && event.type === 'MODIFIED' && isDeepStrictEqual(event.old?.spec, event.object.spec)) return;
    if (store.select(quotaType, namespace).length > 0) enqueue(namespace);
  }

  const unsubscribe = store.onChange(onChange);
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
