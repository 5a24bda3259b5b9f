/** Experiments and namespaces over real sockets: weighted candidates, mirrors, pipeline experiments, one mesh per namespace. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { findInferenceProto } from '../../../src/sandbox/dataplane/proto-file.js';
import { needs } from '../../tools.js';
import { curl, startHarness, type Harness } from './harness.js';
import { gateway, virtualService } from './manifests.js';
import { get, load, loadPipeline, NS, post, TFSIMPLE, TFSIMPLE_REQUEST, TFSIMPLES, URIS } from './seldon-fixtures.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.plane.close();
  harness = undefined;
});

/** A random source that returns the queued values in turn (then 0). */
function scripted(): { random: () => number; next(...values: number[]): void } {
  const queue: number[] = [];
  return { random: () => queue.shift() ?? 0, next: (...values) => void queue.push(...values) };
}

const IRIS_REQUEST = { inputs: [{ name: 'predict', shape: [1, 4], datatype: 'FP32', data: [[1, 2, 3, 4]] }] };

describe('experiments', () => {
  it('splits a model\'s traffic by weight; the default keeps its name and x-seldon-route shows who answered', async () => {
    const dice = scripted();
    harness = await startHarness({ random: dice.random });
    const h = harness;
    const url = `http://127.0.0.1:${h.plane.meshPort}/v2/models/iris/infer`;
    await load(h.plane, 'iris', URIS.iris);
    await load(h.plane, 'iris2', URIS.iris2);
    h.plane.experiments.start({ namespace: NS, name: 'experiment-sample', spec: { default: 'iris', candidates: [{ name: 'iris', weight: 50 }, { name: 'iris2', weight: 50 }] } });
    dice.next(0.75);
    const second = await post(url, IRIS_REQUEST, { 'seldon-model': 'iris' });
    expect(second.headers.get('x-seldon-route')).toBe(':iris2_1:');
    expect(second.json()).toMatchObject({ model_name: 'iris2_1', outputs: [{ data: [2] }] });
    dice.next(0.25);
    expect((await post(url, IRIS_REQUEST, { 'seldon-model': 'iris' })).headers.get('x-seldon-route')).toBe(':iris_1:');
    dice.next(0.9);
    expect((await post(url, IRIS_REQUEST, { 'seldon-model': 'experiment-sample.experiment' })).headers.get('x-seldon-route')).toBe(':iris2_1:');
    h.plane.experiments.stop({ namespace: NS, name: 'experiment-sample' });
    dice.next(0.9);
    expect((await post(url, IRIS_REQUEST, { 'seldon-model': 'iris' })).headers.get('x-seldon-route')).toBe(':iris_1:');
    expect((await post(url, IRIS_REQUEST, { 'seldon-model': 'experiment-sample.experiment' })).status).toBe(404);
  });

  it('takes the sticky route a request names in x-seldon-route alone (seldon infer -s), over REST and gRPC', async () => {
    const dice = scripted();
    harness = await startHarness({ random: dice.random });
    const h = harness;
    const url = `http://127.0.0.1:${h.plane.meshPort}/v2/models/iris/infer`;
    await load(h.plane, 'iris', URIS.iris);
    await load(h.plane, 'iris2', URIS.iris2);
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimple', TFSIMPLE);
    await loadPipeline(h.plane, 'tfsimples', TFSIMPLES);
    h.plane.experiments.start({ namespace: NS, name: 'ab', spec: { default: 'iris', candidates: [{ name: 'iris', weight: 50 }, { name: 'iris2', weight: 50 }] } });
    h.plane.experiments.start({ namespace: NS, name: 'pab', spec: { default: 'tfsimple', resourceType: 'pipeline', candidates: [{ name: 'tfsimple', weight: 50 }, { name: 'tfsimples', weight: 50 }] } });
    // Whatever the dice say, the route named answers, every time.
    for (const roll of [0.1, 0.9]) {
      dice.next(roll);
      const sticky = await post(url, IRIS_REQUEST, { 'x-seldon-route': ':iris2_1:' });
      expect(sticky.headers.get('x-seldon-route')).toBe(':iris2_1:');
      expect(sticky.json()).toMatchObject({ model_name: 'iris2_1' });
    }
    // A pipeline's previous answer names its models and the pipeline: the pipeline's entry picks the candidate.
    const pipeline = await post(url, TFSIMPLE_REQUEST, { 'x-seldon-route': ':tfsimple1_1: :tfsimple2_1:, :tfsimples.pipeline:' });
    expect(pipeline.headers.get('x-seldon-route')).toBe(':tfsimple1_1: :tfsimple2_1:, :tfsimples.pipeline:');
    // A route no running experiment has: Seldon's Envoy has no route for it.
    expect((await post(url, IRIS_REQUEST, { 'x-seldon-route': ':iris9_1:' })).status).toBe(404);

    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(findInferenceProto(), { keepCase: true, longs: String, defaults: false })) as unknown as {
      inference: { GRPCInferenceService: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { ModelInfer(r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, v: Record<string, unknown>) => void): grpc.ClientUnaryCall } };
    };
    const client = new pkg.inference.GRPCInferenceService(`127.0.0.1:${h.plane.meshPort}`, grpc.credentials.createInsecure());
    const call = (route: string) =>
      new Promise<{ route: unknown; value: Record<string, unknown> }>((resolve, reject) => {
        const md = new grpc.Metadata();
        md.add('x-seldon-route', route);
        let answered: unknown;
        const pending = client.ModelInfer({ model_name: 'iris', inputs: [{ name: 'predict', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [1, 2, 3, 4] } }] }, md, (error, value) => (error ? reject(error) : resolve({ route: answered, value })));
        pending.on('metadata', (m: grpc.Metadata) => (answered = m.get('x-seldon-route')[0]));
      });
    dice.next(0.1);
    expect((await call(':iris2_1:')).route).toBe(':iris2_1:');
    await expect(call(':iris9_1:')).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    client.close();
  });

  it('mirrors a copy to the mirror, whose answer is dropped', async () => {
    const dice = scripted();
    harness = await startHarness({ random: dice.random });
    const h = harness;
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimple', TFSIMPLE);
    await loadPipeline(h.plane, 'tfsimples', TFSIMPLES);
    h.plane.experiments.start({
      namespace: NS,
      name: 'mirror',
      spec: { default: 'tfsimple', resourceType: 'pipeline', candidates: [{ name: 'tfsimple', weight: 100 }], mirror: { name: 'tfsimples', percent: 100 } },
    });
    dice.next(0.1, 0.5);
    const answer = await post(`http://127.0.0.1:${h.plane.meshPort}/v2/models/tfsimple/infer`, TFSIMPLE_REQUEST, { 'seldon-model': 'tfsimple.pipeline', 'x-request-id': 'm1' });
    expect(answer.headers.get('x-seldon-route')).toBe(':tfsimple1_1:, :tfsimple.pipeline:');
    expect((answer.json() as { outputs: { data: number[] }[] }).outputs[1]?.data.every((x) => x === 0)).toBe(true);
    // The mirror ran the same request: its topics hold it under the same key.
    expect(h.plane.topics.read(NS, `seldon.${NS}.pipeline.tfsimples.outputs`, 0, 10).map((m) => m.key)).toEqual(['m1']);
  });

  it('splits pipelines over gRPC through the ingress\'s Istio route', async () => {
    const dice = scripted();
    harness = await startHarness({ random: dice.random });
    const h = harness;
    h.view.put(
      gateway(),
      virtualService('grpc', [
        { match: [{ uri: { prefix: '/inference.GRPCInferenceService' } }], route: [{ destination: { host: 'seldon-mesh' }, headers: { request: { set: { 'seldon-model': 'tfsimple.pipeline' } } } }] },
      ]),
    );
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimple', TFSIMPLE);
    await loadPipeline(h.plane, 'tfsimples', TFSIMPLES);
    h.plane.experiments.start({ namespace: NS, name: 'ab', spec: { default: 'tfsimple', resourceType: 'pipeline', candidates: [{ name: 'tfsimple', weight: 1 }, { name: 'tfsimples', weight: 3 }] } });
    await new Promise((resolve) => setImmediate(resolve));
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(findInferenceProto(), { keepCase: true, longs: String, defaults: false })) as unknown as {
      inference: { GRPCInferenceService: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { ModelInfer(r: object, cb: (e: grpc.ServiceError | null, v: Record<string, unknown>) => void): grpc.ClientUnaryCall } };
    };
    const client = new pkg.inference.GRPCInferenceService(`127.0.0.1:${h.plane.port}`, grpc.credentials.createInsecure());
    const request = { inputs: TFSIMPLE_REQUEST.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, contents: { int_contents: t.data } })) };
    const call = () =>
      new Promise<{ route: unknown; value: Record<string, unknown> }>((resolve, reject) => {
        let route: unknown;
        const pending = client.ModelInfer(request, (error, value) => (error ? reject(error) : resolve({ route, value })));
        pending.on('metadata', (m: grpc.Metadata) => (route = m.get('x-seldon-route')[0]));
      });
    // The ingress draws first (its route has one destination), then the experiment.
    dice.next(0, 0.5);
    const chain = await call();
    // Two x-seldon-route fields (the models', then Envoy's `:NAME.pipeline:`), joined by Node's HTTP/2.
    expect(chain.route).toBe(':tfsimple1_1: :tfsimple2_1:, :tfsimples.pipeline:');
    expect(chain.value.model_name).toBe('');
    dice.next(0, 0.1);
    expect((await call()).route).toBe(':tfsimple1_1:, :tfsimple.pipeline:');
    client.close();
  });
});

needs('curl').describe('namespaces', () => {
  it('keeps models of the same name apart, choosing the mesh by Host or the VirtualService\'s namespace', async () => {
    harness = await startHarness();
    const h = harness;
    await load(h.plane, 'model', URIS.iris, 'team-a');
    await load(h.plane, 'model', URIS.add10, 'team-b');
    const mesh = `http://127.0.0.1:${h.plane.meshPort}/v2/models/model`;
    // fetch will not send a Host of our choosing; curl does.
    const metadata = async (host: string) => JSON.parse((await curl('-H', 'seldon-model: model', '-H', `Host: ${host}`, mesh)).stdout) as { platform?: string };
    expect((await metadata('seldon-mesh.team-a')).platform).toBe('sklearn');
    expect((await metadata('seldon-mesh.team-b.svc.cluster.local')).platform).toBe('python');
    // The listener's own namespace (seldon-mesh) has no such model.
    expect((await get(mesh, { 'seldon-model': 'model' })).status).toBe(404);
    const route = (namespace: string, host: string) => ({
      ...virtualService(`route-${namespace}`, [{ match: [{ uri: { prefix: '/v2' } }], route: [{ destination: { host }, headers: { request: { set: { 'seldon-model': 'model' } } } }] }], [`${NS}/seldon-gateway`], [`${namespace}.example.com`]),
      metadata: { name: `route-${namespace}`, namespace },
    });
    h.view.put(gateway(), route('team-a', 'seldon-mesh'), route('team-b', 'seldon-mesh.team-b.svc.cluster.local'));
    await new Promise((resolve) => setImmediate(resolve));
    const viaIngress = async (host: string) => JSON.parse((await curl('-H', `Host: ${host}`, `http://127.0.0.1:${h.plane.port}/v2/models/model`)).stdout) as { name?: string; platform?: string };
    expect(await viaIngress('team-a.example.com')).toMatchObject({ name: 'model_1', platform: 'sklearn' });
    expect(await viaIngress('team-b.example.com')).toMatchObject({ name: 'model_1', platform: 'python' });
  });
});
