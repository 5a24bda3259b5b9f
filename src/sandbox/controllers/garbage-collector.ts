/**
 * kube-controller-manager's garbage collector, reduced to what deletes show: when an object goes, its dependents
 * (objects whose metadata.ownerReferences name its uid) go too once none of their owners is left (background
 * propagation), or lose the reference to it when another owner remains. An owner deleted in the foreground keeps
 * `foregroundDeletion` until the dependents that block it (blockOwnerDeletion) are gone, and deletes them in the
 * foreground in turn; one deleted with Orphan keeps `orphan` until its dependents no longer name it.
 *
 * It acts on deletions it sees, never on references to owners that were never there (the seeded control-plane
 * pods name ReplicaSets the sandbox does not serve).
 */
import type { KubeObject } from '../types.js';
import type { ResourceType } from '../store/resource-types.js';
import type { PropagationPolicy, Store, StoreEvent } from '../store/store.js';
import { GC_FINALIZERS } from '../store/store.js';

type OwnerReference = { uid: string; blockOwnerDeletion?: boolean };
type Located = { type: ResourceType; object: KubeObject };
type Reason = 'gone' | 'finalize';

export interface GarbageCollector {
  stop(): void;
}

function ownerRefs(object: KubeObject): OwnerReference[] {
  const refs = object.metadata.ownerReferences;
  return Array.isArray(refs) ? (refs as OwnerReference[]) : [];
}

function finalizers(object: KubeObject): string[] {
  const list = object.metadata.finalizers;
  return Array.isArray(list) ? (list as string[]) : [];
}

export function startGarbageCollector(options: { store: Store }): GarbageCollector {
  const { store } = options;
  /** Owners to look at again, by uid: one that went, or one waiting on its dependents. */
  const pending = new Map<string, Reason>();
  /** Owners being deleted with a GC finalizer. */
  const waiting = new Set<string>();
  let stopped = false;

  function everything(): Located[] {
    return store.types.all().flatMap((type) => store.select(type).map((object) => ({ type, object })));
  }

  function byUid(uid: string): Located | undefined {
    return everything().find((l) => l.object.metadata.uid === uid);
  }

  function dependentsOf(uid: string): Located[] {
    return everything().filter((l) => ownerRefs(l.object).some((r) => r.uid === uid));
  }

  function writeMeta(l: Located, metadata: KubeObject['metadata']): void {
    store.update(l.type, { ...l.object, metadata: { ...metadata, resourceVersion: l.object.metadata.resourceVersion } });
  }

  function remove(l: Located, policy: PropagationPolicy): void {
    if (!l.object.metadata.deletionTimestamp) store.delete(l.type, l.object.metadata.namespace, l.object.metadata.name, { propagationPolicy: policy });
  }

  /** The owner `uid` is gone: dependents with no owner left go (background); others drop the reference. */
  function ownerGone(uid: string): void {
    for (const dependent of dependentsOf(uid)) {
      const others = ownerRefs(dependent.object).filter((r) => r.uid !== uid);
      if (others.some((r) => byUid(r.uid))) {
        writeMeta(dependent, { ...dependent.object.metadata, ownerReferences: others });
      } else {
        remove(dependent, 'Background');
      }
    }
  }

  /** An owner being deleted with a GC finalizer: carry the policy out, then release it. */
  function finalize(owner: Located): void {
    const uid = owner.object.metadata.uid ?? '';
    const held = finalizers(owner.object);
    if (held.includes(GC_FINALIZERS.Orphan)) {
      for (const dependent of dependentsOf(uid)) {
        const others = ownerRefs(dependent.object).filter((r) => r.uid !== uid);
        const { ownerReferences: _o, ...metadata } = dependent.object.metadata;
        writeMeta(dependent, others.length > 0 ? { ...metadata, ownerReferences: others } : metadata);
      }
      release(owner, GC_FINALIZERS.Orphan);
    } else if (held.includes(GC_FINALIZERS.Foreground)) {
      const dependents = dependentsOf(uid);
      for (const dependent of dependents) remove(dependent, 'Foreground');
      // Only dependents that block their owner's deletion keep it waiting.
      const blocking = dependentsOf(uid).filter((d) => ownerRefs(d.object).some((r) => r.uid === uid && r.blockOwnerDeletion));
      if (blocking.length === 0) release(owner, GC_FINALIZERS.Foreground);
    }
  }

  function release(owner: Located, finalizer: string): void {
    const current = store.find(owner.type, owner.object.metadata.namespace, owner.object.metadata.name);
    if (!current) return;
    const rest = finalizers(current).filter((f) => f !== finalizer);
    const { finalizers: _f, ...metadata } = current.metadata;
    writeMeta({ type: owner.type, object: current }, rest.length > 0 ? { ...metadata, finalizers: rest } : metadata);
  }

  function process(uid: string, reason: Reason): void {
    if (reason === 'gone') {
      ownerGone(uid);
      return;
    }
    const owner = byUid(uid);
    if (owner?.object.metadata.deletionTimestamp) finalize(owner);
  }

  /** Writes wait for a microtask: a store listener must not write while the store notifies. */
  function enqueue(uid: string | undefined, reason: Reason): void {
    if (!uid) return;
    if (pending.size === 0) {
      queueMicrotask(() => {
        const work = [...pending];
        pending.clear();
        if (stopped) return;
        for (const [u, r] of work) {
          try {
            process(u, r);
          } catch {
            // Lost a race with another deleter (a controller, the namespace going): the next event brings it back.
          }
        }
      });
    }
    // A deletion outranks a wait: once the owner is gone, only its dependents are left to handle.
    if (pending.get(uid) !== 'gone') pending.set(uid, reason);
  }

  function onChange(event: StoreEvent): void {
    const { object } = event;
    const uid = object.metadata.uid;
    const held = finalizers(object);
    if (event.type === 'DELETED') {
      if (uid) waiting.delete(uid);
      enqueue(uid, 'gone');
    } else if (object.metadata.deletionTimestamp && (held.includes(GC_FINALIZERS.Foreground) || held.includes(GC_FINALIZERS.Orphan))) {
      if (uid) waiting.add(uid);
      enqueue(uid, 'finalize');
    }
    // A dependent that went or changed may be what an owner deleted in the foreground waits for.
    if (event.type !== 'ADDED') for (const ref of ownerRefs(event.old ?? object)) if (waiting.has(ref.uid)) enqueue(ref.uid, 'finalize');
  }

  const unsubscribe = store.onChange(onChange);
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
