import { describe, expect, test } from 'vitest';
import { seed } from '../../../src/sandbox/seed.js';
import { Store } from '../../../src/sandbox/store/store.js';
import type { StoreEvent } from '../../../src/sandbox/store/store.js';

function setup(historyLimit?: number) {
  const store = new Store({ historyLimit, now: () => new Date('2024-05-01T10:00:00.123Z') });
  seed(store);
  const cm = store.types.byKind('', 'ConfigMap')!;
  const events: StoreEvent[] = [];
  store.onChange((e) => events.push(e));
  return { store, cm, events };
}

describe('Store', () => {
  test('a no-op update keeps the resourceVersion and notifies nobody', () => {
    const { store, cm, events } = setup();
    const created = store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
    expect(created.metadata.creationTimestamp).toBe('2024-05-01T10:00:00Z');
    const same = store.update(cm, structuredClone(created));
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
    const changed = store.update(cm, { ...created, data: { k: 'w' } });
    // ConfigMaps carry no generation on a real API server; custom resources do, and it moves with their spec.
    expect(created.metadata).not.toHaveProperty('generation');
    expect(changed.metadata).not.toHaveProperty('generation');
    const model = store.types.byKind('mlops.seldon.io', 'Model')!;
    const m = store.create(model, { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name: 'm', namespace: 'default' }, spec: { storageUri: 'gs://a' } });
    expect(m.metadata.generation).toBe(1);
    expect(store.update(model, { ...m, spec: { storageUri: 'gs://b' } }).metadata.generation).toBe(2);
    events.splice(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(events[1]!.old).toBe(created);
  });

  test('since() replays within the history window and reports expiry beyond it', () => {
    const { store, cm } = setup(3);
    const start = Number(store.resourceVersion);
    for (const name of ['a', 'b', 'c', 'd']) store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    expect(store.since(String(start))).toBe('expired');
    const replay = store.since(String(start + 1));
    expect(replay).not.toBe('expired');
    expect((replay as StoreEvent[]).map((e) => e.object.metadata.name)).toEqual(['b', 'c', 'd']);
    expect(store.since(store.resourceVersion)).toEqual([]);
    expect(() => store.since('abc')).toThrow('invalid resource version');
  });

  test('deleting a namespace marks it Terminating and refuses new content; once finalized it goes with what is in it; deleting a CRD removes its kind and objects', () => {
    const { store, cm, events } = setup();
    const ns = store.types.byKind('', 'Namespace')!;
    const created = store.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp', labels: { 'kubernetes.io/metadata.name': 'other' } }, spec: { finalizers: [] } });
    expect(created).toMatchObject({ metadata: { labels: { 'kubernetes.io/metadata.name': 'tmp' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'tmp' } });
    const marked = store.delete(ns, undefined, 'tmp');
    expect(marked.status).toEqual({ phase: 'Terminating' });
    expect(marked.metadata.deletionTimestamp).toBe('2024-05-01T10:00:00Z');
    expect(store.find(cm, 'tmp', 'x')).toBeDefined();
    expect(() => store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'tmp' } })).toThrow(
      'configmaps "y" is forbidden: unable to create new content in namespace tmp because it is being terminated',
    );
    // A second delete while the finalizer is there changes nothing; an update cannot drop the finalizer or the label.
    expect(store.delete(ns, undefined, 'tmp').metadata.resourceVersion).toBe(marked.metadata.resourceVersion);
    const edited = store.update(ns, { ...marked, metadata: { ...marked.metadata, labels: {} }, spec: { finalizers: [] } });
    expect(edited).toMatchObject({ metadata: { labels: { 'kubernetes.io/metadata.name': 'tmp' } }, spec: { finalizers: ['kubernetes'] } });
    store.update(ns, { ...edited, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect(store.find(ns, undefined, 'tmp')).toBeUndefined();
    expect(store.find(cm, 'tmp', 'x')).toBeUndefined();
    expect(events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name)).toEqual(['tmp', 'x']);
    expect(() => store.delete(ns, undefined, 'kube-public')).toThrow('namespaces "kube-public" is forbidden: this namespace may not be deleted');

    const crd = store.types.byKind('apiextensions.k8s.io', 'CustomResourceDefinition')!;
    const model = store.types.byKind('mlops.seldon.io', 'Model')!;
    store.create(model, { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name: 'm', namespace: 'default' }, spec: { storageUri: 'gs://x' } });
    store.delete(crd, undefined, 'models.mlops.seldon.io');
    expect(store.types.byKind('mlops.seldon.io', 'Model')).toBeUndefined();
    expect(store.list('mlops.seldon.io', 'Model')).toEqual([]);
  });
});
