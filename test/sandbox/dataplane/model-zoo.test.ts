/** The model zoo over the seldon-mesh listener: REST through fetch, gRPC through grpc-js, as Triton and MLServer answer. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { findInferenceProto } from '../../../src/sandbox/dataplane/proto-file.js';
import { ModelLoadError } from '../../../src/sandbox/types.js';
import { meshPerTest } from './harness.js';
import { get, load, post, SEQ, TFSIMPLE_REQUEST, URIS } from './seldon-fixtures.js';

const mesh = meshPerTest();
const double = SEQ.map((x) => 2 * x);
const zeros = SEQ.map(() => 0);

describe('model zoo over REST', () => {
  it('tfsimple adds and subtracts INT32 rows, answering in Triton key order', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    const answer = await post(url('/v2/models/tfsimple1/infer'), TFSIMPLE_REQUEST, { 'seldon-model': 'tfsimple1' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(
      `{"model_name":"tfsimple1_1","model_version":"1","outputs":[{"name":"OUTPUT0","datatype":"INT32","shape":[1,16],"data":[${double.join(',')}]},{"name":"OUTPUT1","datatype":"INT32","shape":[1,16],"data":[${zeros.join(',')}]}]}`,
    );
    expect(answer.headers.get('x-seldon-route')).toBe(':tfsimple1_1:');
    const onlyZero = await post(url('/v2/models/tfsimple1/infer'), { ...TFSIMPLE_REQUEST, outputs: [{ name: 'OUTPUT0' }] }, { 'seldon-model': 'tfsimple1' });
    expect((onlyZero.json() as { outputs: { name: string }[] }).outputs.map((o) => o.name)).toEqual(['OUTPUT0']);
    const difference = await post(
      url('/v2/models/tfsimple1/infer'),
      { inputs: [{ name: 'INPUT0', data: SEQ, datatype: 'INT32', shape: [1, 16] }, { name: 'INPUT1', data: SEQ.map(() => 1), datatype: 'INT32', shape: [1, 16] }] },
      { 'seldon-model': 'tfsimple1' },
    );
    expect((difference.json() as { outputs: { data: number[] }[] }).outputs[1]?.data).toEqual(SEQ.map((x) => x - 1));
  });

  it('tfsimple metadata lists names, datatypes, shapes and the platform', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    const metadata = await get(url('/v2/models/tfsimple1'), { 'seldon-model': 'tfsimple1' });
    expect(metadata.json()).toEqual({
      name: 'tfsimple1_1',
      versions: ['1'],
      platform: 'tensorflow_graphdef',
      inputs: [{ name: 'INPUT0', datatype: 'INT32', shape: [-1, 16] }, { name: 'INPUT1', datatype: 'INT32', shape: [-1, 16] }],
      outputs: [{ name: 'OUTPUT0', datatype: 'INT32', shape: [-1, 16] }, { name: 'OUTPUT1', datatype: 'INT32', shape: [-1, 16] }],
    });
  });

  it('tfsimple refuses wrong inputs with Triton messages', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    const send = (body: unknown) => post(url('/v2/models/tfsimple1/infer'), body, { 'seldon-model': 'tfsimple1' });
    const [input0, input1] = TFSIMPLE_REQUEST.inputs;
    const missing = await send({ inputs: [input0] });
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({
      error: "[request id: <id_unknown>] expected 2 inputs but got 1 inputs for model 'tfsimple1_1'. Got inputs ['INPUT0'], but missing required inputs ['INPUT1']. Please provide all required inputs.",
    });
    const datatype = await send({ inputs: [input0, { ...input1, datatype: 'FP32' }] });
    expect(datatype.json()).toEqual({ error: "[request id: <id_unknown>] inference input 'INPUT1' data-type is 'FP32', but model 'tfsimple1_1' expects 'INT32'" });
    const shape = await send({ id: 'r1', inputs: [{ ...input0, shape: [2, 8] }, { ...input1, shape: [2, 8] }] });
    expect((shape.json() as { error: string }).error).toMatch(/^\[request id: r1\] unexpected shape for input 'INPUT0' for model 'tfsimple1_1'\. Expected \[-1,16\], got \[2,8\]\. NOTE: Setting a non-zero max_batch_size/);
    const unknown = await send({ inputs: [input0, { ...input1, name: 'INPUTX' }] });
    expect(unknown.status).toBe(400);
    // Two inputs pass the count check; the unknown name fails on the way to its config.
    expect(unknown.json()).toEqual({ error: "[request id: <id_unknown>] unexpected inference input 'INPUTX' for model 'tfsimple1_1'" });
    const batch = await send({ inputs: [{ ...input0, shape: [9, 16], data: Array(144).fill(1) }, { ...input1, shape: [9, 16], data: Array(144).fill(1) }] });
    expect((batch.json() as { error: string }).error).toBe("[request id: <id_unknown>] inference request batch-size must be <= 8 for 'tfsimple1_1'");
  });

  it('add10, mul10 and add20 compute FP32 [4] as Triton writes them', async () => {
    const { h, url } = await mesh();
    for (const name of ['add10', 'mul10', 'add20'] as const) await load(h.plane, name, URIS[name]);
    const body = { inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4.5] }] };
    const add10 = await post(url('/v2/models/add10/infer'), body, { 'seldon-model': 'add10' });
    expect(add10.text).toBe('{"model_name":"add10_1","model_version":"1","outputs":[{"name":"OUTPUT","datatype":"FP32","shape":[4],"data":[11.0,12.0,13.0,14.5]}]}');
    expect((await post(url('/v2/models/mul10/infer'), body, { 'seldon-model': 'mul10' })).json()).toMatchObject({ outputs: [{ data: [10, 20, 30, 45] }] });
    expect((await post(url('/v2/models/add20/infer'), body, { 'seldon-model': 'add20' })).json()).toMatchObject({ outputs: [{ data: [21, 22, 23, 24.5] }] });
    const batched = await post(url('/v2/models/add10/infer'), { inputs: [{ ...body.inputs[0], shape: [1, 4] }] }, { 'seldon-model': 'add10' });
    expect(batched.json()).toEqual({ error: "[request id: <id_unknown>] unexpected shape for input 'INPUT' for model 'add10_1'. Expected [4], got [1,4]. " });
  });

  it('conditional answers only the chosen output', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'conditional', URIS.conditional);
    const request = (choice: number) => ({
      inputs: [
        { name: 'CHOICE', datatype: 'INT32', shape: [1], data: [choice] },
        { name: 'INPUT0', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4] },
        { name: 'INPUT1', datatype: 'FP32', shape: [4], data: [5, 6, 7, 8] },
      ],
    });
    const zero = (await post(url('/v2/models/conditional/infer'), request(0), { 'seldon-model': 'conditional' })).json() as { outputs: { name: string; data: number[] }[] };
    expect(zero.outputs).toEqual([{ name: 'OUTPUT0', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4] }]);
    const one = (await post(url('/v2/models/conditional/infer'), request(7), { 'seldon-model': 'conditional' })).json() as { outputs: { name: string; data: number[] }[] };
    expect(one.outputs).toEqual([{ name: 'OUTPUT1', datatype: 'FP32', shape: [4], data: [5, 6, 7, 8] }]);
  });

  it('iris still answers as MLServer, and an unknown seldon-model is a 404', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'iris', URIS.iris);
    const answer = await post(url('/v2/models/iris/infer'), { inputs: [{ name: 'predict', shape: [1, 4], datatype: 'FP32', data: [[1, 2, 3, 4]] }] }, { 'seldon-model': 'iris' });
    expect(answer.json()).toMatchObject({ model_name: 'iris_1', model_version: '1', parameters: null, outputs: [{ name: 'predict', datatype: 'INT64', data: [2] }] });
    expect((await post(url('/v2/models/nope/infer'), {}, { 'seldon-model': 'nope' })).status).toBe(404);
  });
});

describe('loading', () => {
  it('refuses unknown artefacts and unpublished sample models with one message naming the URI', async () => {
    const { h } = await mesh();
    const income = 'gs://seldon-models/scv2/samples/mlserver_1.3.5/income-sklearn/classifier';
    const error = await load(h.plane, 'income', income).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).message).toContain(income);
    expect((error as ModelLoadError).message).toContain('cannot serve a trained artefact it does not have');
    const idNode = await load(h.plane, 'id1', 'gs://seldon-models/triton/id_node').catch((e: unknown) => e);
    expect((idNode as ModelLoadError).message).toMatch(/gs:\/\/seldon-models\/triton\/id_node.*not published/);
  });

  it('tells the scheduler what a URI needs without loading it', async () => {
    const { h } = await mesh();
    expect(h.plane.registry.artefact(URIS.tfsimple)).toMatchObject({ requirements: ['tensorflow'], server: 'triton', platform: 'tensorflow_graphdef' });
    expect(h.plane.registry.artefact(URIS.add10)).toMatchObject({ requirements: ['triton', 'python'], server: 'triton' });
    expect(h.plane.registry.artefact(URIS.iris)).toMatchObject({ requirements: ['sklearn'], server: 'mlserver' });
    expect(h.plane.registry.artefact('gs://seldon-models/triton/check')).toBeUndefined();
  });
});

const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(findInferenceProto(), { keepCase: true, longs: String, defaults: false })) as unknown as {
  inference: { GRPCInferenceService: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & Record<string, (r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, v: Record<string, unknown>) => void) => void> };
};

describe('model zoo over gRPC', () => {
  it('tfsimple answers with raw_output_contents, as Triton does', async () => {
    const { h } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    const client = new pkg.inference.GRPCInferenceService(`127.0.0.1:${h.plane.meshPort}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('seldon-model', 'tfsimple1');
    const request = {
      model_name: 'tfsimple1',
      inputs: TFSIMPLE_REQUEST.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, contents: { int_contents: t.data } })),
    };
    const value = await new Promise<Record<string, unknown>>((resolve, reject) =>
      client.ModelInfer!(request, metadata, (error, v) => (error ? reject(error) : resolve(v))),
    );
    client.close();
    expect(value.model_name).toBe('tfsimple1_1');
    const raw = value.raw_output_contents as Buffer[];
    const ints = (b: Buffer) => Array.from({ length: b.length / 4 }, (_, i) => b.readInt32LE(i * 4));
    expect(raw.map(ints)).toEqual([double, zeros]);
    expect(value.outputs).toEqual([
      { name: 'OUTPUT0', datatype: 'INT32', shape: ['1', '16'] },
      { name: 'OUTPUT1', datatype: 'INT32', shape: ['1', '16'] },
    ]);
  });
});
