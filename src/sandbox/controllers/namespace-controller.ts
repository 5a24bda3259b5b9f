/**
 * The namespace controller of kube-controller-manager: once a Namespace is Terminating it deletes everything in
 * it, reports progress in the Namespace's conditions (what `kubectl describe ns` shows), waits for objects held by
 * finalizers until their controllers let go, then removes the `kubernetes` finalizer and deletes the Namespace.
 */
import type { KubeObject } from '../types.js';
import type { Store, StoreEvent } from '../store/store.js';
import { timestamp, typeKeyOf } from '../store/store.js';

export interface NamespaceControllerOptions {
  store: Store;
  /** How long the controller takes to notice a namespace being deleted, so `kubectl get ns` can see Terminating. */
  noticeDelayMs?: number;
  now?: () => Date;
}

export interface NamespaceController {
  stop(): void;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** What is left in a namespace: each object with its resource as the controller names it. */
interface Remaining {
  object: KubeObject;
  /** `configmaps.` (the core group's empty name after the dot, as the real controller writes it), `models.mlops.seldon.io`. */
  resource: string;
}

/** The conditions a 1.32 namespace controller writes, given what is left in the namespace. */
function conditionsFor(remaining: Remaining[]): Condition[] {
  const byResource = new Map<string, number>();
  const byFinalizer = new Map<string, number>();
  for (const { object, resource } of remaining) {
    byResource.set(resource, (byResource.get(resource) ?? 0) + 1);
    for (const f of (object.metadata.finalizers ?? []) as string[]) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
  }
  const list = (counts: Map<string, number>, word: string) =>
    [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${word} ${n} resource instances`).join(', ');
  return [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    remaining.length > 0
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list(byResource, 'has')}` }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    byFinalizer.size > 0
      ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list(byFinalizer, 'in')}` }
      : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ];
}

const NAMESPACE_KEY = typeKeyOf('', 'Namespace');

export function startNamespaceController(options: NamespaceControllerOptions): NamespaceController {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const nsType = store.types.byKind('', 'Namespace')!;
  /** Terminating namespaces the controller has noticed; changes inside them trigger another pass. */
  const noticed = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const queued = new Set<string>();
  let stopped = false;

  function later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  }

  /** A pass runs outside the store's notification: listeners must not write while the store notifies. */
  function enqueue(name: string): void {
    if (queued.has(name)) return;
    queued.add(name);
    later(() => {
      queued.delete(name);
      guarded(name);
    }, 0);
  }

  function onChange(event: StoreEvent): void {
    const { object } = event;
    if (event.typeKey === NAMESPACE_KEY) {
      const name = object.metadata.name;
      if (event.type === 'DELETED') noticed.delete(name);
      else if (object.metadata.deletionTimestamp && !noticed.has(name)) {
        noticed.add(name);
        later(() => guarded(name), options.noticeDelayMs ?? 300);
      }
      return;
    }
    const namespace = object.metadata.namespace;
    if (namespace !== undefined && noticed.has(namespace)) enqueue(namespace);
  }

  /** A failed pass (a write that lost a race) is retried, as the real controller requeues. */
  function guarded(name: string): void {
    try {
      sync(name);
    } catch {
      later(() => guarded(name), 100);
    }
  }

  function sync(name: string): void {
    const namespace = store.find(nsType, undefined, name);
    if (!namespace?.metadata.deletionTimestamp) return;
    for (const type of store.types.all().filter((t) => t.namespaced)) {
      for (const o of store.select(type, name)) {
        if (!o.metadata.deletionTimestamp && store.find(type, name, o.metadata.name)) store.delete(type, name, o.metadata.name);
      }
    }
    const remaining: Remaining[] = store.types
      .all()
      .filter((t) => t.namespaced)
      .flatMap((t) => store.select(t, name).map((object) => ({ object, resource: `${t.plural}.${t.group}` })));
    writeConditions(store.get(nsType, undefined, name), conditionsFor(remaining));
    if (remaining.length > 0) return;
    // With spec.finalizers empty the API server deletes the namespace as part of this update.
    const latest = store.get(nsType, undefined, name);
    store.update(nsType, { ...latest, spec: { ...latest.spec, finalizers: [] } }, { subresource: 'finalize' });
  }

  function writeConditions(namespace: KubeObject, wanted: Condition[]): void {
    const before = (namespace.status?.conditions ?? []) as (Condition & { lastTransitionTime: string })[];
    const at = timestamp(now());
    const conditions = wanted.map((c) => {
      const old = before.find((b) => b.type === c.type);
      const same = old && old.status === c.status && old.reason === c.reason && old.message === c.message;
      return same ? old : { ...c, lastTransitionTime: old?.status === c.status ? old.lastTransitionTime : at };
    });
    store.update(nsType, { ...namespace, status: { ...namespace.status, conditions } }, { subresource: 'status' });
  }

  const unsubscribe = store.onChange(onChange);
  // Namespaces already Terminating when the controller starts.
  for (const ns of store.select(nsType)) {
    if (ns.metadata.deletionTimestamp) onChange({ type: 'MODIFIED', object: ns, resourceVersion: 0, typeKey: NAMESPACE_KEY });
  }
  return {
    stop() {
      stopped = true;
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
