import { afterEach, describe, expect, test } from 'vitest';
import { seed } from '../../../src/sandbox/seed.js';
import { Scheduler } from '../../../src/sandbox/scheduler/scheduler.js';
import { startSeldonOperator, type SeldonOperator } from '../../../src/sandbox/seldon/operator.js';
import { PodLogs } from '../../../src/sandbox/store/pod-logs.js';
import { Store } from '../../../src/sandbox/store/store.js';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { fakeDataPlane } from '../scheduler/fakes.js';

const IRIS = 'gs://seldon-models/mlserver/iris';
const SIMPLE = 'gs://seldon-models/triton/simple';

function setup(loadDelayMs = 10) {
  const store = new Store();
  seed(store);
  const plane = fakeDataPlane();
  const logs = new PodLogs();
  const late: { operator?: SeldonOperator } = {};
  const scheduler = new Scheduler({ ...plane, loadDelayMs, log: (server, replica, line) => late.operator?.serverLog(server, replica, line) });
  const operator = startSeldonOperator({ store, scheduler, logs });
  late.operator = operator;
  const type = (kind: string) => store.types.byKind(kind === 'Pod' || kind === 'Event' ? '' : kind === 'StatefulSet' ? 'apps' : 'mlops.seldon.io', kind)!;
  const create = (kind: string, name: string, spec: Record<string, unknown>, namespace = 'seldon-mesh') =>
    store.create(type(kind), { apiVersion: 'mlops.seldon.io/v1alpha1', kind, metadata: { name, namespace }, spec });
  const get = (kind: string, name: string, namespace = 'seldon-mesh') => store.find(type(kind), namespace, name);
  const stop = () => {
    operator.stop();
    scheduler.close();
  };
  return { store, plane, logs, scheduler, type, create, get, stop };
}

type Setup = ReturnType<typeof setup>;
const conditions = (o?: KubeObject) =>
  Object.fromEntries(((o?.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]).map((c) => [c.type, c]));
const ready = (s: Setup, kind: string, name: string, type = 'Ready', namespace = 'seldon-mesh') =>
  expect.poll(() => conditions(s.get(kind, name, namespace))[type]?.status, { timeout: 3000 }).toBe('True');

describe('Seldon operator emulation', () => {
  let s: Setup;
  afterEach(() => s.stop());

  test('a Model gets its finalizer, is scheduled and loaded as <name>_1, and its status says so', async () => {
    s = setup();
    s.create('Model', 'iris', { storageUri: IRIS, requirements: ['sklearn'] });
    await ready(s, 'Model', 'iris');
    const model = s.get('Model', 'iris')!;
    expect(model.metadata.finalizers).toEqual(['seldon.model.finalizer']);
    expect(conditions(model).ModelReady).toMatchObject({ status: 'True', message: 'ModelAvailable' });
    expect(model.status).toMatchObject({ replicas: 1, availableReplicas: 1, observedGeneration: 1, selector: 'seldon-server-name=mlserver' });
    expect(s.plane.models.get('seldon-mesh/iris')).toBe(1);
    expect(s.logs.read('seldon-mesh', 'mlserver-0', 'mlserver')).toMatch(/Loaded model iris_1 from gs:\/\/seldon-models\/mlserver\/iris\n$/);
    // The Server's status counts it.
    await expect.poll(() => s.get('Server', 'mlserver')?.status?.loadedModels).toBe(1);
  });

  test('each spec change is a new version; a label change is not', async () => {
    s = setup();
    s.create('Model', 'iris', { storageUri: IRIS });
    await ready(s, 'Model', 'iris');
    const current = s.get('Model', 'iris')!;
    s.store.update(s.type('Model'), { ...current, metadata: { ...current.metadata, labels: { a: 'b' } } });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.scheduler.model('seldon-mesh', 'iris')?.versions.at(-1)?.version).toBe(1);
    s.store.update(s.type('Model'), { ...s.get('Model', 'iris')!, spec: { storageUri: IRIS, replicas: 1, requirements: ['sklearn'] } });
    await expect.poll(() => s.plane.models.get('seldon-mesh/iris'), { timeout: 3000 }).toBe(2);
    await expect.poll(() => s.get('Model', 'iris')?.status?.observedGeneration).toBe(2);
  });

  test('ScheduleFailed and load failures become ModelReady=False with the reason, and one Warning Event each', async () => {
    s = setup();
    s.create('Model', 'torch', { storageUri: IRIS, requirements: ['pytorch-geometric'] });
    s.create('Model', 'income', { storageUri: 'gs://seldon-models/scv2/samples/income/classifier', requirements: ['sklearn'] });
    await expect.poll(() => conditions(s.get('Model', 'income')).ModelReady?.message, { timeout: 3000 }).toBe('ModelFailed');
    expect(conditions(s.get('Model', 'torch')).ModelReady).toMatchObject({
      status: 'False',
      reason: 'Failed to schedule model as no matching servers are available',
      message: 'ScheduleFailed',
    });
    expect(conditions(s.get('Model', 'torch')).Ready).toMatchObject({ status: 'False', message: 'ScheduleFailed' });
    expect(conditions(s.get('Model', 'income')).ModelReady?.reason).toContain('cannot serve gs://seldon-models/scv2/samples/income/classifier');
    const events = s.store.select(s.type('Event'), 'seldon-mesh');
    expect(events.map((e) => [(e.involvedObject as { name: string }).name, e.reason]).sort()).toEqual([
      ['income', 'ModelFailed'],
      ['torch', 'ScheduleFailed'],
    ]);
  });

  test('delete marks the Model, the scheduler unloads it, the finalizer goes and so does the Model', async () => {
    s = setup();
    s.create('Model', 'iris', { storageUri: IRIS });
    await ready(s, 'Model', 'iris');
    const marked = s.store.delete(s.type('Model'), 'seldon-mesh', 'iris');
    expect(marked.metadata.deletionTimestamp).toEqual(expect.any(String));
    await expect.poll(() => s.get('Model', 'iris')).toBeUndefined();
    expect(s.plane.models.has('seldon-mesh/iris')).toBe(false);
    expect(s.scheduler.model('seldon-mesh', 'iris')).toBeUndefined();
    expect(s.logs.read('seldon-mesh', 'mlserver-0', 'mlserver')).toContain('Unloaded model iris_1');
  });

  test('models of two namespaces with one name are two models', async () => {
    s = setup();
    const nsType = s.store.types.byKind('', 'Namespace')!;
    s.store.create(nsType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } });
    s.create('Model', 'iris', { storageUri: IRIS });
    s.create('Model', 'iris', { storageUri: IRIS, requirements: ['sklearn'] }, 'team-b');
    await ready(s, 'Model', 'iris');
    await ready(s, 'Model', 'iris', 'Ready', 'team-b');
    expect([...s.plane.models.keys()].sort()).toEqual(['seldon-mesh/iris', 'team-b/iris']);
    s.store.delete(s.type('Model'), 'team-b', 'iris');
    await expect.poll(() => [...s.plane.models.keys()]).toEqual(['seldon-mesh/iris']);
  });

  test("a Pipeline is Ready once its models are; a cycle gets Seldon's reason and the rest keeps working", async () => {
    s = setup();
    s.create('Pipeline', 'tfsimples', {
      steps: [{ name: 'tfsimple1' }, { name: 'tfsimple2', inputs: ['tfsimple1'], tensorMap: { 'tfsimple1.outputs.OUTPUT0': 'INPUT0', 'tfsimple1.outputs.OUTPUT1': 'INPUT1' } }],
      output: { steps: ['tfsimple2'] },
    });
    s.create('Pipeline', 'loop', { steps: [{ name: 'a', inputs: ['b'] }, { name: 'b', inputs: ['a'] }], output: { steps: ['b'] } });
    await expect.poll(() => conditions(s.get('Pipeline', 'tfsimples')).ModelsReady?.status, { timeout: 3000 }).toBe('False');
    expect(conditions(s.get('Pipeline', 'tfsimples')).Ready?.status).toBe('False');
    for (const name of ['tfsimple1', 'tfsimple2']) s.create('Model', name, { storageUri: SIMPLE, requirements: ['tensorflow'], memory: '100Ki' });
    await ready(s, 'Pipeline', 'tfsimples');
    expect(conditions(s.get('Pipeline', 'tfsimples'))).toMatchObject({
      ModelsReady: { status: 'True' },
      PipelineReady: { status: 'True', reason: 'created pipeline', message: 'PipelineReady' },
    });
    expect(s.get('Model', 'tfsimple1')?.status).toMatchObject({ selector: 'seldon-server-name=triton' });
    expect(conditions(s.get('Pipeline', 'loop')).PipelineReady).toMatchObject({ status: 'False', reason: 'pipeline loop has a cycle' });
    expect(s.get('Pipeline', 'tfsimples')?.metadata.finalizers).toEqual(['seldon.pipeline.finalizer']);
    s.store.delete(s.type('Pipeline'), 'seldon-mesh', 'tfsimples');
    await expect.poll(() => s.get('Pipeline', 'tfsimples')).toBeUndefined();
    expect(s.plane.pipelineVersions.size).toBe(0);
  });

  test('an Experiment is Ready once its candidates are', async () => {
    s = setup();
    s.create('Experiment', 'ab', { default: 'iris', candidates: [{ name: 'iris', weight: 50 }, { name: 'iris2', weight: 50 }] });
    s.create('Model', 'iris', { storageUri: IRIS });
    await expect.poll(() => conditions(s.get('Experiment', 'ab')).CandidatesReady?.status, { timeout: 3000 }).toBe('False');
    s.create('Model', 'iris2', { storageUri: IRIS });
    await ready(s, 'Experiment', 'ab');
    expect(conditions(s.get('Experiment', 'ab'))).toMatchObject({ ExperimentReady: { status: 'True' }, MirrorReady: { status: 'True' } });
    expect(s.plane.running.has('seldon-mesh/ab')).toBe(true);
    // Weights that cannot split traffic are refused with a reason; the running experiment is untouched.
    s.create('Experiment', 'negative', { candidates: [{ name: 'iris', weight: 150 }, { name: 'iris2', weight: -50 }] });
    await expect.poll(() => conditions(s.get('Experiment', 'negative')).ExperimentReady?.reason).toBe('experiment negative candidate iris2 has a negative weight -50');
    s.create('Experiment', 'zero', { candidates: [{ name: 'iris', weight: 0 }] });
    await expect.poll(() => conditions(s.get('Experiment', 'zero')).Ready?.status).toBe('False');
    expect(conditions(s.get('Experiment', 'zero')).ExperimentReady?.reason).toContain('candidate weights sum to 0');
    expect([...s.plane.running]).toEqual(['seldon-mesh/ab']);
  });

  test('a Server gets a StatefulSet and one Pod per replica; its models lose their home when it goes', async () => {
    s = setup();
    s.create('Server', 'mlserver-custom', { serverConfig: 'mlserver', replicas: 2, extraCapabilities: ['custom'] });
    await expect
      .poll(() => s.store.select(s.type('Pod'), 'seldon-mesh').map((p) => p.metadata.name).filter((n) => n.startsWith('mlserver-custom')))
      .toEqual(['mlserver-custom-0', 'mlserver-custom-1']);
    expect(s.get('StatefulSet', 'mlserver-custom')?.spec).toMatchObject({ replicas: 2 });
    s.create('Model', 'special', { storageUri: IRIS, requirements: ['custom'], replicas: 2 });
    await ready(s, 'Model', 'special');
    expect(s.get('Model', 'special')?.status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    s.store.delete(s.type('Server'), 'seldon-mesh', 'mlserver-custom');
    await expect.poll(() => conditions(s.get('Model', 'special')).ModelReady?.message, { timeout: 3000 }).toBe('ScheduleFailed');
    expect(s.get('StatefulSet', 'mlserver-custom')).toBeUndefined();
    expect(s.get('Pod', 'mlserver-custom-0')).toBeUndefined();
  });
});
