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
    expect(changed.metadata.generation).toBe(2);
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

  test('deleting a namespace deletes what is in it; deleting a CRD removes its kind and objects', () => {
    const { store, cm, events } = setup();
    const ns = store.types.byKind('', 'Namespace')!;
    store.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } });
    store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'tmp' } });
    store.delete(ns, undefined, 'tmp');
    expect(store.find(cm, 'tmp', 'x')).toBeUndefined();
    expect(events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name)).toEqual(['tmp', 'x']);

    const crd = store.types.byKind('apiextensions.k8s.io', 'CustomResourceDefinition')!;
    const model = store.types.byKind('mlops.seldon.io', 'Model')!;
    store.create(model, { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name: 'm', namespace: 'default' }, spec: { storageUri: 'gs://x' } });
    store.delete(crd, undefined, 'models.mlops.seldon.io');
    expect(store.types.byKind('mlops.seldon.io', 'Model')).toBeUndefined();
    expect(store.list('mlops.seldon.io', 'Model')).toEqual([]);
  });
});
