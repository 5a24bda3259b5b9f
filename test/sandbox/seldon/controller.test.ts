import { afterEach, describe, expect, test } from 'vitest';
import { seed } from '../../../src/sandbox/seed.js';
import { startSeldonController } from '../../../src/sandbox/seldon/controller.js';
import type { SeldonController } from '../../../src/sandbox/seldon/controller.js';
import { Store } from '../../../src/sandbox/store/store.js';
import type { KubeObject, ModelRegistry } from '../../../src/sandbox/types.js';
import { ModelLoadError } from '../../../src/sandbox/types.js';

function setup(loadDelayMs = 20) {
  const store = new Store();
  seed(store);
  const calls: string[] = [];
  const registry: ModelRegistry = {
    async load({ name, version, storageUri: uri }) {
      calls.push(`load ${name}_${version} ${uri}`);
      if (!uri.includes('iris')) throw new ModelLoadError('ScheduleFailed', `no such model at ${uri}`);
    },
    unload({ name }) {
      calls.push(`unload ${name}`);
    },
    artefact: () => undefined,
  };
  const controller = startSeldonController({ store, registry, loadDelayMs });
  const type = store.types.byKind('mlops.seldon.io', 'Model')!;
  const create = (name: string, spec: Record<string, unknown>) =>
    store.create(type, { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name, namespace: 'seldon-mesh' }, spec });
  const get = (name: string) => store.find(type, 'seldon-mesh', name);
  return { store, calls, controller, type, create, get };
}

const settle = (ms = 80) => new Promise((r) => setTimeout(r, ms));
const conditions = (o?: KubeObject) => (o?.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[];

describe('Seldon controller', () => {
  let controller: SeldonController | undefined;
  afterEach(() => controller?.stop());

  test('loads after the delay as <name>_1 and reports ModelReady and Ready', async () => {
    const s = setup(60);
    controller = s.controller;
    s.create('iris', { storageUri: 'gs://seldon-models/mlserver/iris', replicas: 2 });
    await settle(20);
    expect(s.calls).toEqual([]);
    await settle(100);
    expect(s.calls).toEqual(['load iris_1 gs://seldon-models/mlserver/iris']);
    const model = s.get('iris')!;
    expect(conditions(model).map((c) => [c.type, c.status, c.message])).toEqual([
      ['ModelReady', 'True', 'ModelAvailable'],
      ['Ready', 'True', undefined],
    ]);
    expect(model.status).toMatchObject({ replicas: 2, availableReplicas: 2, selector: expect.any(String) });
    expect(model.metadata.generation).toBe(1);
  });

  test('each spec change loads the next version; status and label changes do not', async () => {
    const s = setup();
    controller = s.controller;
    s.create('iris', { storageUri: 'gs://seldon-models/mlserver/iris' });
    await settle();
    const current = s.get('iris')!;
    s.store.update(s.type, { ...current, metadata: { ...current.metadata, labels: { a: 'b' } } });
    await settle();
    expect(s.calls).toHaveLength(1);
    const relabelled = s.get('iris')!;
    s.store.update(s.type, { ...relabelled, spec: { storageUri: 'gs://seldon-models/scv2/iris' } });
    await settle();
    s.store.update(s.type, { ...s.get('iris')!, spec: { storageUri: 'gs://seldon-models/scv2/iris', replicas: 3 } });
    await settle();
    expect(s.calls).toEqual([
      'load iris_1 gs://seldon-models/mlserver/iris',
      'load iris_2 gs://seldon-models/scv2/iris',
      'load iris_3 gs://seldon-models/scv2/iris',
    ]);
  });

  test('an unknown storage URI ends in ModelReady=False with the reason, and a Warning Event on the Model', async () => {
    const s = setup();
    controller = s.controller;
    const created = s.create('bad', { storageUri: 'gs://elsewhere/thing' });
    await settle();
    expect(conditions(s.get('bad'))).toEqual([
      expect.objectContaining({ type: 'ModelReady', status: 'False', reason: 'ScheduleFailed', message: 'no such model at gs://elsewhere/thing' }),
      expect.objectContaining({ type: 'Ready', status: 'False', reason: 'ScheduleFailed' }),
    ]);
    const events = s.store.select(s.store.types.byKind('', 'Event')!, 'seldon-mesh');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reason: 'ScheduleFailed',
      involvedObject: { kind: 'Model', name: 'bad', namespace: 'seldon-mesh', uid: created.metadata.uid },
    });
  });

  test('deleting a model unloads it, also when deleted while loading', async () => {
    const s = setup(30);
    controller = s.controller;
    s.create('iris', { storageUri: 'gs://seldon-models/mlserver/iris' });
    await settle();
    s.store.delete(s.type, 'seldon-mesh', 'iris');
    expect(s.calls).toEqual(['load iris_1 gs://seldon-models/mlserver/iris', 'unload iris']);
    s.create('quick', { storageUri: 'gs://seldon-models/mlserver/iris' });
    s.store.delete(s.type, 'seldon-mesh', 'quick');
    await settle();
    expect(s.calls.filter((c) => c.includes('quick'))).toEqual([]);
  });
});
