import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Scheduler } from '../../../src/sandbox/scheduler/scheduler.js';
import { startSchedulerServer, type SchedulerServer } from '../../../src/sandbox/scheduler/grpc-server.js';
import { fakeDataPlane, type FakeDataPlane } from './fakes.js';
import { schedulerClient, type Msg, type SchedulerClient } from './client.js';

const GI = 1024 ** 3;

/** The real gRPC API on a real port, driven the way the `seldon` CLI drives it. */
describe('scheduler gRPC API', () => {
  let plane: FakeDataPlane;
  let scheduler: Scheduler;
  let server: SchedulerServer;
  let client: SchedulerClient;

  beforeEach(async () => {
    plane = fakeDataPlane();
    scheduler = new Scheduler({ ...plane, loadDelayMs: 5 });
    scheduler.upsertServer({ namespace: 'seldon-mesh', name: 'mlserver', capabilities: ['mlserver', 'sklearn', 'python'], replicas: 1, memoryBytes: GI });
    scheduler.upsertServer({ namespace: 'seldon-mesh', name: 'triton', capabilities: ['triton', 'tensorflow', 'python'], replicas: 1, memoryBytes: GI });
    server = await startSchedulerServer({ scheduler, namespace: 'seldon-mesh' });
    client = schedulerClient(`127.0.0.1:${server.port}`);
  });
  afterEach(async () => {
    client.close();
    await server.close();
    scheduler.close();
  });

  const model = (name: string, spec: Msg) => ({ model: { meta: { name, kubernetesMeta: {} }, modelSpec: spec, deploymentSpec: { replicas: 1 } } });
  const status = async (name: string): Promise<Msg> => (await client.stream('ModelStatus', { subscriberName: 'test', model: { name } }))[0];
  const until = async (name: string, state: string) => expect.poll(async () => (await status(name)).versions[0]?.state.state, { timeout: 3000 }).toBe(state);

  test('LoadModel places by requirements, loads after the delay, and a changed spec is version 2', async () => {
    expect(await client.unary('LoadModel', model('iris', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] }))).toEqual({});
    await until('iris', 'ModelAvailable');
    const first = await status('iris');
    expect(first).toMatchObject({ modelName: 'iris', deleted: false, versions: [{ version: 1, serverName: 'mlserver', state: { availableReplicas: 1 } }] });
    expect(plane.models.get('seldon-mesh/iris')).toBe(1);
    // The same spec again changes nothing; another spec is a new version.
    await client.unary('LoadModel', model('iris', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] }));
    expect((await status('iris')).versions[0].version).toBe(1);
    await client.unary('LoadModel', model('iris', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn', 'python'] }));
    await expect.poll(() => plane.models.get('seldon-mesh/iris'), { timeout: 3000 }).toBe(2);
    expect(await client.unary('UnloadModel', { model: { name: 'iris' } })).toEqual({});
    expect(plane.models.has('seldon-mesh/iris')).toBe(false);
    await expect(status('iris')).rejects.toThrow(/NOT_FOUND: model iris not found/);
  });

  test('ScheduleFailed with Seldon reasons: no capability, a missing pinned server, too many replicas, too much memory', async () => {
    await client.unary('LoadModel', model('a', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['pytorch-geometric'] }));
    await client.unary('LoadModel', model('b', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'], server: 'nope' }));
    await client.unary('LoadModel', { model: { meta: { name: 'c' }, modelSpec: { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] }, deploymentSpec: { replicas: 3 } } });
    await client.unary('LoadModel', model('d', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'], memoryBytes: String(2 * GI) }));
    const all = await client.stream('ModelStatus', { subscriberName: 'test' });
    const byName = Object.fromEntries(all.map((m: Msg) => [m.modelName, m.versions[0].state]));
    expect(byName.a).toMatchObject({ state: 'ScheduleFailed', reason: 'Failed to schedule model as no matching servers are available' });
    expect(byName.b).toMatchObject({ state: 'ScheduleFailed', reason: 'Failed to schedule model as no matching servers are available' });
    expect(byName.c).toMatchObject({ state: 'ScheduleFailed', reason: 'Failed to schedule model as no matching server had enough suitable replicas' });
    expect(byName.d).toMatchObject({ state: 'ScheduleFailed', reason: 'Failed to schedule model as no matching server had enough suitable replicas' });
    // A server that fits arrives: the failed model is placed.
    scheduler.upsertServer({ namespace: 'seldon-mesh', name: 'big', capabilities: ['sklearn'], replicas: 3, memoryBytes: 4 * GI });
    await until('c', 'ModelAvailable');
    expect((await status('c')).versions[0].serverName).toBe('big');
  });

  test("what arrives over gRPC lives in the scheduler's namespace, whatever Kubernetes metadata it carries", async () => {
    await client.unary('LoadModel', { model: { meta: { name: 'elsewhere', kubernetesMeta: { namespace: 'default', generation: 3 } }, modelSpec: { uri: 'gs://seldon-models/mlserver/iris' } } });
    await until('elsewhere', 'ModelAvailable');
    expect(plane.models.get('seldon-mesh/elsewhere')).toBe(1);
    expect((await status('elsewhere')).versions[0].kubernetesMeta).toEqual({ namespace: 'default', generation: '3' });
    await client.unary('UnloadModel', { model: { name: 'elsewhere' }, kubernetesMeta: { namespace: 'default' } });
    expect(plane.models.size).toBe(0);
  });

  test('an unknown artefact fails to load with the data plane message', async () => {
    await client.unary('LoadModel', model('income', { uri: 'gs://seldon-models/scv2/samples/mlserver_1.3.5/income-sklearn/classifier', requirements: ['sklearn'] }));
    await until('income', 'ModelFailed');
    expect((await status('income')).versions[0].state.reason).toContain('cannot serve gs://seldon-models/scv2/samples/mlserver_1.3.5/income-sklearn/classifier');
  });

  test('ServerStatus reports replicas, memory and loaded models', async () => {
    await client.unary('LoadModel', model('iris', { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'], memoryBytes: '1000' }));
    await until('iris', 'ModelAvailable');
    const servers = await client.stream('ServerStatus', { subscriberName: 'test' });
    const mlserver = servers.find((s: Msg) => s.serverName === 'mlserver');
    expect(mlserver).toMatchObject({ expectedReplicas: 1, availableReplicas: 1, numLoadedModelReplicas: 1 });
    expect(mlserver.resources[0]).toMatchObject({ replicaIdx: 0, totalMemoryBytes: String(GI), availableMemoryBytes: String(GI - 1000), numLoadedModels: 1 });
    expect(await client.unary('SchedulerStatus', { subscriberName: 'test' })).toEqual({ applicationVersion: '2.8.0-sandbox' });
  });

  test('pipelines: normalised references, ready only once the step models are, Seldon refusals', async () => {
    const pipeline = {
      name: 'tfsimples',
      steps: [{ name: 'tfsimple1' }, { name: 'tfsimple2', inputs: ['tfsimple1'], tensorMap: { 'tfsimple1.outputs.OUTPUT0': 'INPUT0', 'tfsimple1.outputs.OUTPUT1': 'INPUT1' } }],
      output: { steps: ['tfsimple2'] },
      kubernetesMeta: {},
    };
    await client.unary('LoadPipeline', { pipeline });
    let [s] = await client.stream('PipelineStatus', { subscriberName: 't', name: 'tfsimples' });
    expect(s.versions[0].state).toMatchObject({ status: 'PipelineCreating', modelsReady: false, reason: 'waiting for models: tfsimple1, tfsimple2' });
    expect(s.versions[0].pipeline.uid).toMatch(/^[0-9a-v]{20}$/);
    expect(s.versions[0].pipeline.steps[1].inputs).toEqual(['tfsimple1.outputs']);
    expect(s.versions[0].pipeline.output.steps).toEqual(['tfsimple2.outputs']);
    for (const name of ['tfsimple1', 'tfsimple2']) await client.unary('LoadModel', model(name, { uri: 'gs://seldon-models/triton/simple', requirements: ['tensorflow'] }));
    await expect.poll(async () => (await client.stream('PipelineStatus', { name: 'tfsimples' }))[0].versions[0].state.status, { timeout: 3000 }).toBe('PipelineReady');
    [s] = await client.stream('PipelineStatus', { name: 'tfsimples' });
    expect(s.versions[0].state).toMatchObject({ pipelineVersion: 1, reason: 'created pipeline', modelsReady: true });
    expect(plane.pipelineVersions.get('seldon-mesh/tfsimples')).toBe(1);

    const cycle = { name: 'loop', steps: [{ name: 'a', inputs: ['b'] }, { name: 'b', inputs: ['a'] }], output: { steps: ['b'] } };
    await expect(client.unary('LoadPipeline', { pipeline: cycle })).rejects.toThrow('FAILED_PRECONDITION: pipeline loop has a cycle');
    const dangling = { name: 'dangling', steps: [{ name: 'a', inputs: ['ghost'] }], output: { steps: ['a'] } };
    await expect(client.unary('LoadPipeline', { pipeline: dangling })).rejects.toThrow('pipeline dangling step a has input ghost for step that does not exist');

    const badTensor = { ...pipeline, name: 'badtensor', steps: [{ name: 'tfsimple1' }, { name: 'tfsimple2', inputs: ['tfsimple1'], tensorMap: { 'tfsimple1.outputs.OUTPUT9': 'INPUT0' } }] };
    await client.unary('LoadPipeline', { pipeline: badTensor });
    await expect.poll(async () => (await client.stream('PipelineStatus', { name: 'badtensor' }))[0].versions[0].state.status, { timeout: 3000 }).toBe('PipelineFailed');
    [s] = await client.stream('PipelineStatus', { name: 'badtensor' });
    expect(s.versions[0].state.reason).toContain('tfsimple1.outputs.OUTPUT9');
    expect(plane.pipelineVersions.has('seldon-mesh/badtensor')).toBe(false);

    // A changed pipeline is the next version, with a new uid.
    const uid = s.versions[0].pipeline.uid;
    await client.unary('LoadPipeline', { pipeline: { ...pipeline, output: { steps: ['tfsimple2.outputs.OUTPUT0'] } } });
    await expect.poll(async () => (await client.stream('PipelineStatus', { name: 'tfsimples' }))[0].versions[0].state.status, { timeout: 3000 }).toBe('PipelineReady');
    [s] = await client.stream('PipelineStatus', { name: 'tfsimples' });
    expect(s.versions[0].pipeline.version).toBe(2);
    expect(s.versions[0].pipeline.uid).not.toBe(uid);
    expect(plane.pipelineVersions.get('seldon-mesh/tfsimples')).toBe(2);
    await client.unary('UnloadPipeline', { name: 'tfsimples' });
    expect(plane.pipelineVersions.has('seldon-mesh/tfsimples')).toBe(false);
    await expect(client.unary('UnloadPipeline', { name: 'tfsimples' })).rejects.toThrow('NOT_FOUND: pipeline tfsimples not found');
  });

  test('experiments: active once candidates are ready; no candidates and zero weights are refused', async () => {
    await client.unary('StartExperiment', { experiment: { name: 'ab', default: 'iris', candidates: [{ name: 'iris', weight: 50 }, { name: 'iris2', weight: 50 }] } });
    let [e] = await client.stream('ExperimentStatus', { name: 'ab' });
    expect(e).toMatchObject({ experimentName: 'ab', active: false, candidatesReady: false, mirrorReady: true });
    expect(plane.running.size).toBe(0);
    for (const name of ['iris', 'iris2']) await client.unary('LoadModel', model(name, { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] }));
    await expect.poll(async () => (await client.stream('ExperimentStatus', { name: 'ab' }))[0].active, { timeout: 3000 }).toBe(true);
    [e] = await client.stream('ExperimentStatus', { name: 'ab' });
    expect(e).toMatchObject({ candidatesReady: true, mirrorReady: true, statusDescription: 'experiment active' });
    expect(plane.running.has('seldon-mesh/ab')).toBe(true);
    await expect(client.unary('StartExperiment', { experiment: { name: 'none', candidates: [] } })).rejects.toThrow('experiment none has no candidates');
    await expect(client.unary('StartExperiment', { experiment: { name: 'zero', candidates: [{ name: 'iris', weight: 0 }] } })).rejects.toThrow('experiment zero candidate weights sum to 0');
    await expect(client.unary('StartExperiment', { experiment: { name: 'dup', default: 'iris', candidates: [{ name: 'iris', weight: 1 }] } })).rejects.toThrow(
      'Model iris already in experiment ab as a baseline',
    );
    await client.unary('StopExperiment', { name: 'ab' });
    expect(plane.running.size).toBe(0);
  });
});
