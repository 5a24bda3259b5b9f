/**
 * The root-ca-cert-publisher of kube-controller-manager: every active namespace holds a `kube-root-ca.crt`
 * ConfigMap whose `ca.crt` is the API server's CA, so workloads can trust `kubernetes.default.svc`. It is
 * created with the namespace, recreated when deleted and put back when edited.
 */
import type { KubeObject } from '../types.js';
import type { Store, StoreEvent } from '../store/store.js';
import { typeKeyOf } from '../store/store.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

/** The annotation the real publisher writes. */
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCaPublisher {
  stop(): void;
}

export function startRootCaPublisher(options: { store: Store; ca: string }): RootCaPublisher {
  const { store, ca } = options;
  const nsType = store.types.byKind('', 'Namespace')!;
  const cmType = store.types.byKind('', 'ConfigMap')!;
  const pending = new Set<string>();
  let stopped = false;

  function wanted(namespace: string): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { 'kubernetes.io/description': DESCRIPTION } },
      data: { 'ca.crt': ca },
    };
  }

  function sync(namespace: string): void {
    const ns = store.find(nsType, undefined, namespace);
    // A terminating namespace takes no new content; the namespace controller is emptying it.
    if (!ns || ns.metadata.deletionTimestamp) return;
    const current = store.find(cmType, namespace, ROOT_CA_CONFIGMAP);
    if (!current) {
      store.create(cmType, wanted(namespace));
    } else if ((current.data as Record<string, string> | undefined)?.['ca.crt'] !== ca) {
      store.update(cmType, { ...current, data: { ...(current.data as Record<string, string>), 'ca.crt': ca } });
    }
  }

  /** Writes wait for a microtask: a store listener must not write while the store notifies. */
  function enqueue(namespace: string): void {
    if (pending.size === 0) {
      queueMicrotask(() => {
        const names = [...pending];
        pending.clear();
        if (stopped) return;
        for (const name of names) {
          try {
            sync(name);
          } catch {
            // Lost a race with a delete of the namespace: nothing to publish into any more.
          }
        }
      });
    }
    pending.add(namespace);
  }

  function onChange(event: StoreEvent): void {
    const { object } = event;
    if (event.typeKey === typeKeyOf('', 'Namespace')) {
      if (event.type === 'ADDED') enqueue(object.metadata.name);
    } else if (event.typeKey === typeKeyOf('', 'ConfigMap') && object.metadata.name === ROOT_CA_CONFIGMAP && object.metadata.namespace) {
      enqueue(object.metadata.namespace);
    }
  }

  const unsubscribe = store.onChange(onChange);
  for (const ns of store.select(nsType)) sync(ns.metadata.name);
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
