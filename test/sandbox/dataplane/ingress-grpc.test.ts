import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findInferenceProto } from '../../../src/sandbox/dataplane/proto-file.js';
import { manualClock, startHarness, type Harness } from './harness.js';
import { gateway, singleModelRoute, virtualService, toModel } from './manifests.js';

const IRIS = 'gs://seldon-models/mlserver/iris';

type Callback = (error: grpc.ServiceError | null, value: Record<string, unknown>) => void;
type Unary = (request: object, metadataOrCallback: grpc.Metadata | Callback, callback?: Callback) => void;
type InferenceClient = grpc.Client & Record<string, Unary> & { ModelStreamInfer(): grpc.ClientDuplexStream<object, Record<string, unknown>> };

const inference = grpc.loadPackageDefinition(
  protoLoader.loadSync(findInferenceProto(), { keepCase: true, longs: String, defaults: false }),
) as unknown as { inference: { GRPCInferenceService: new (address: string, credentials: grpc.ChannelCredentials) => InferenceClient } };

const reflectionProto = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '../proto/grpc/reflection/v1alpha/reflection.proto');
const reflection = grpc.loadPackageDefinition(protoLoader.loadSync(reflectionProto, { keepCase: true })) as unknown as {
  grpc: { reflection: { v1alpha: { ServerReflection: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<object, Record<string, unknown>> } } } };
};

let harness: Harness | undefined;
const clients: grpc.Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await harness?.plane.close();
  harness = undefined;
});

function client(h: Harness): InferenceClient {
  const c = new inference.inference.GRPCInferenceService(`127.0.0.1:${h.plane.port}`, grpc.credentials.createInsecure());
  clients.push(c);
  return c;
}

function call(c: InferenceClient, method: string, request: object): Promise<{ value?: Record<string, unknown>; error?: grpc.ServiceError; headers: grpc.Metadata }> {
  return new Promise((resolve) => {
    let headers = new grpc.Metadata();
    const pending = (c[method] as unknown as (r: object, cb: Callback) => grpc.ClientUnaryCall)(request, (error, value) => resolve({ value: error ? undefined : value, error: error ?? undefined, headers }));
    pending.on('metadata', (m: grpc.Metadata) => (headers = m));
  });
}

const IRIS_INFER = { model_name: 'iris', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [1, 2, 3, 4] } }] };

async function singleModel(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  harness.view.put(gateway(), singleModelRoute());
  await harness.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 1, storageUri: IRIS, server: 'mlserver' });
  return harness;
}

describe('ingress over gRPC (grpc-js)', () => {
  it('answers ModelInfer as the seed records it, with Envoy headers', async () => {
    const h = await singleModel();
    const { value, error, headers } = await call(client(h), 'ModelInfer', IRIS_INFER);
    expect(error).toBeUndefined();
    expect(value).toEqual({
      model_name: 'iris_1',
      model_version: '1',
      outputs: [{ name: 'predict', datatype: 'INT64', shape: ['1'], contents: { int64_contents: ['2'] } }],
    });
    expect(headers.get('server')).toEqual(['istio-envoy']);
    expect(headers.get('seldon-route')).toEqual(['iris_1']);
    expect(headers.get('x-envoy-upstream-service-time')[0]).toMatch(/^\d+$/);
  });

  it('decodes raw_input_contents and echoes the request id', async () => {
    const h = await singleModel();
    const raw = Buffer.alloc(32);
    [5.1, 3.5, 1.4, 0.2, 1, 2, 3, 4].forEach((v, i) => raw.writeFloatLE(v, i * 4));
    const { value } = await call(client(h), 'ModelInfer', { id: 'req-7', inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 4] }], raw_input_contents: [raw] });
    expect(value).toMatchObject({ id: 'req-7', outputs: [{ shape: ['2'], contents: { int64_contents: ['0', '2'] } }] });
  });

  it('answers the server and model RPCs, and maps errors to status codes', async () => {
    const h = await singleModel();
    const c = client(h);
    expect((await call(c, 'ServerLive', {})).value).toEqual({ live: true });
    expect((await call(c, 'ServerReady', {})).value).toEqual({ ready: true });
    expect((await call(c, 'ModelReady', { name: 'iris' })).value).toEqual({ ready: true });
    expect((await call(c, 'ServerMetadata', {})).value).toMatchObject({ name: 'mlserver' });
    expect((await call(c, 'ModelMetadata', { name: 'iris' })).value).toMatchObject({ name: 'iris_1', versions: ['1'] });
    expect((await call(c, 'ModelInfer', { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], contents: { fp32_contents: [1, 2, 3] } }] })).error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await call(c, 'RepositoryIndex', {})).error?.code).toBe(grpc.status.UNIMPLEMENTED);
    // The server's own not-found for a version it does not have; Seldon's Envoy's 404 (→ 12) once nothing is loaded.
    const version = await call(c, 'ModelMetadata', { name: 'iris', version: '9' });
    expect([version.error?.code, version.error?.details]).toEqual([grpc.status.NOT_FOUND, 'Model iris with version 9 not found']);
    h.plane.registry.unload({ namespace: 'seldon-mesh', name: 'iris' });
    const gone = await call(c, 'ModelInfer', IRIS_INFER);
    expect([gone.error?.code, gone.error?.details]).toEqual([grpc.status.UNIMPLEMENTED, '']);
  });

  it('streams ModelStreamInfer answers one per request', async () => {
    const h = await singleModel();
    const stream = client(h).ModelStreamInfer();
    const answers: Record<string, unknown>[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (a: Record<string, unknown>) => answers.push(a));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    stream.write({ ...IRIS_INFER, id: 'a' });
    stream.write({ ...IRIS_INFER, id: 'b' });
    stream.end();
    await done;
    expect(answers.map((a) => a.id)).toEqual(['a', 'b']);
  });

  it('maps no route to UNIMPLEMENTED and propagation delay to UNAVAILABLE, as gRPC clients see Envoy', async () => {
    const clock = manualClock();
    harness = await startHarness({ faultRouteDelayMs: 300, now: clock.now });
    const h = harness;
    h.view.put(gateway(), virtualService('rest-only', [{ match: [{ uri: { prefix: '/v2' } }], route: [toModel('iris')] }]));
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 1, storageUri: IRIS, server: 'mlserver' });
    const c = client(h);
    const during = await call(c, 'ModelInfer', IRIS_INFER);
    expect(during.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(during.error?.details).toContain('upstream connect error');
    clock.advance(300);
    const noRoute = await call(c, 'ModelInfer', IRIS_INFER);
    expect(noRoute.error?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect((await call(c, 'ServerLive', {})).error?.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it('answers faults, direct responses and rewrites to gRPC callers trailers-only, as Envoy maps its local replies', async () => {
    harness = await startHarness();
    const h = harness;
    const method = (name: string) => ({ uri: { exact: `/inference.GRPCInferenceService/${name}` } });
    h.view.put(
      gateway(),
      virtualService('grpc-faults', [
        { match: [method('ServerLive')], fault: { abort: { grpcStatus: 'RESOURCE_EXHAUSTED', percentage: { value: 100 } } }, route: [toModel('iris')] },
        { match: [method('ServerReady')], fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [toModel('iris')] },
        { match: [method('ModelReady')], directResponse: { status: 404, body: { string: 'gone' } } },
        // An old service name rewritten to the real one: the rewritten :path picks the method.
        { match: [{ uri: { prefix: '/legacy.Inference/' } }], rewrite: { uri: '/inference.GRPCInferenceService/' }, route: [toModel('iris')] },
      ]),
    );
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 1, storageUri: IRIS, server: 'mlserver' });
    const c = client(h);
    const legacy = new Promise<Buffer>((resolve, reject) =>
      c.makeUnaryRequest('/legacy.Inference/ServerLive', () => Buffer.alloc(0), (bytes: Buffer) => bytes, {}, (error, value) => (error ? reject(error) : resolve(value!))),
    );
    const [exhausted, unavailable, gone, rewritten] = await Promise.all([call(c, 'ServerLive', {}), call(c, 'ServerReady', {}), call(c, 'ModelReady', { name: 'iris' }), legacy]);
    expect([exhausted.error?.code, exhausted.error?.details]).toEqual([grpc.status.RESOURCE_EXHAUSTED, 'fault filter abort']);
    expect([unavailable.error?.code, unavailable.error?.details]).toEqual([grpc.status.UNAVAILABLE, 'fault filter abort']);
    expect([gone.error?.code, gone.error?.details]).toEqual([grpc.status.UNIMPLEMENTED, 'gone']);
    // ServerLiveResponse{live: true}: field 1, varint 1.
    expect([...rewritten]).toEqual([0x08, 0x01]);
  });

  it('routes gRPC calls by weight like REST', async () => {
    harness = await startHarness({ random: (() => { let i = 0; return () => (i++ % 2 === 0 ? 0.1 : 0.9); })() });
    const h = harness;
    h.view.put(gateway(), virtualService('split', [{ match: [{ uri: { prefix: '/inference.GRPCInferenceService' } }], route: [toModel('iris1', 50), toModel('iris2', 50)] }]));
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris1', version: 1, storageUri: IRIS, server: 'mlserver' });
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris2', version: 1, storageUri: IRIS, server: 'mlserver' });
    const c = client(h);
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await call(c, 'ModelInfer', IRIS_INFER)).value?.model_name);
    expect(names).toEqual(['iris1_1', 'iris2_1', 'iris1_1', 'iris2_1']);
  });

  it('lists the inference service and describes it through server reflection', async () => {
    const h = await singleModel();
    const r = new reflection.grpc.reflection.v1alpha.ServerReflection(`127.0.0.1:${h.plane.port}`, grpc.credentials.createInsecure());
    clients.push(r);
    const stream = r.ServerReflectionInfo();
    const answers: Record<string, unknown>[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (a: Record<string, unknown>) => answers.push(a));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    stream.write({ list_services: '' });
    stream.write({ file_containing_symbol: 'inference.GRPCInferenceService' });
    stream.end();
    await done;
    expect(answers[0]).toMatchObject({ list_services_response: { service: [{ name: 'inference.GRPCInferenceService' }] } });
    const files = (answers[1] as { file_descriptor_response: { file_descriptor_proto: Buffer[] } }).file_descriptor_response.file_descriptor_proto;
    expect(files.length).toBeGreaterThan(0);
    expect(Buffer.concat(files).toString('latin1')).toContain('ModelInferRequest');
  });
});
