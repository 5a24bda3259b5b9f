/** Pipelines over real sockets: the dataflow of Seldon's samples, their answers, headers and topics. */
import { describe, expect, it } from 'vitest';
import { meshPerTest } from './harness.js';
import { gateway, virtualService } from './manifests.js';
import {
  CONDITIONAL, eventually, JOIN, load, loadPipeline, NS, post, SEQ, TFSIMPLE, TFSIMPLE_EXTENDED, TFSIMPLE_REQUEST, TFSIMPLES, TRIGGER_JOINS, URIS,
} from './seldon-fixtures.js';

const mesh = meshPerTest();
const double = SEQ.map((x) => 2 * x);
const zeros = SEQ.map(() => 0);
const goTensor = (name: string, data: number[], shape = [1, 16], datatype = 'INT32') =>
  `{"data":[${data.join(',')}],"name":"${name}","shape":${JSON.stringify(shape)},"datatype":"${datatype}"}`;

describe('pipeline dataflow', () => {
  it('chains tfsimple1 into tfsimple2 and answers as Seldon\'s pipeline gateway', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimples', TFSIMPLES);
    const answer = await post(url('/v2/models/tfsimples/infer'), TFSIMPLE_REQUEST, { 'seldon-model': 'tfsimples.pipeline', 'x-request-id': 'test-id' });
    expect(answer.status).toBe(200);
    // tfsimple1: 2x and 0; tfsimple2 on those: 2x + 0 and 2x - 0.
    expect(answer.text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT0', double)},${goTensor('OUTPUT1', double)}]}`);
    expect(answer.headers.get('x-seldon-route')).toBe(':tfsimple1_1: :tfsimple2_1:, :tfsimples.pipeline:');
    expect(answer.headers.get('x-request-id')).toBe('test-id');
    const byPath = await post(url('/v2/pipelines/tfsimples/infer'), TFSIMPLE_REQUEST);
    expect(byPath.text).toBe(answer.text);
    expect(byPath.headers.get('x-request-id')).toMatch(/^[0-9a-v]{20}$/);
  });

  it('keeps each step\'s and the pipeline\'s messages in topics, as pipeline inspect prints them', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimples', TFSIMPLES);
    await post(url('/v2/models/tfsimples/infer'), TFSIMPLE_REQUEST, { 'seldon-model': 'tfsimples.pipeline', 'x-request-id': 'test-id' });
    const read = (topic: string) => h.plane.topics.read(NS, `seldon.${NS}.${topic}`, 0, 10);
    const contents = (data: number[]) => ({ intContents: data });
    const tensor = (name: string, data: number[]) => ({ name, datatype: 'INT32', shape: ['1', '16'], contents: contents(data) });
    expect(read('model.tfsimple1.inputs').map((m) => [m.topic, m.key, m.json])).toEqual([
      [`seldon.${NS}.model.tfsimple1.inputs`, 'test-id', { inputs: [tensor('INPUT0', SEQ), tensor('INPUT1', SEQ)] }],
    ]);
    expect(read('model.tfsimple1.outputs')[0]?.json).toEqual({ modelName: 'tfsimple1_1', modelVersion: '1', outputs: [tensor('OUTPUT0', double), tensor('OUTPUT1', zeros)] });
    // tfsimple2's inputs came raw from Triton: the message keeps them as rawInputContents too.
    expect(read('model.tfsimple2.inputs')[0]?.json).toEqual({
      inputs: [tensor('INPUT0', double), tensor('INPUT1', zeros)],
      rawInputContents: ['AgAAAAQAAAAGAAAACAAAAAoAAAAMAAAADgAAABAAAAASAAAAFAAAABYAAAAYAAAAGgAAABwAAAAeAAAAIAAAAA==', Buffer.alloc(64).toString('base64')],
    });
    expect(read('pipeline.tfsimples.outputs')[0]?.json).toEqual({ outputs: [tensor('OUTPUT0', double), tensor('OUTPUT1', double)] });
    // The headers --verbose prints: the route so far grows step by step.
    expect(read('model.tfsimple2.inputs')[0]?.headers).toEqual({ pipeline: ['tfsimples'], 'x-request-id': ['test-id'], 'x-forwarded-proto': ['http'], 'x-seldon-route': [':tfsimple1_1:'] });
    expect(read('model.tfsimple2.outputs')[0]?.headers['x-seldon-route']).toEqual([':tfsimple1_1: :tfsimple2_1:']);
    expect(read('pipeline.tfsimples.inputs')).toHaveLength(1);
    // Every topic of the namespace with a prefix, tail offsets as Kafka's OffsetTail.
    await post(url('/v2/models/tfsimples/infer'), TFSIMPLE_REQUEST, { 'seldon-model': 'tfsimples.pipeline', 'x-request-id': 'second' });
    expect(h.plane.topics.read(NS, `seldon.${NS}.model.`, -1, 100).map((m) => `${m.topic} ${m.key}`)).toEqual([
      `seldon.${NS}.model.tfsimple1.inputs second`,
      `seldon.${NS}.model.tfsimple1.outputs second`,
      `seldon.${NS}.model.tfsimple2.inputs second`,
      `seldon.${NS}.model.tfsimple2.outputs second`,
    ]);
    expect(h.plane.topics.read('other', 'seldon.', 0, 100)).toEqual([]);
  });

  it('joins two steps\' tensors into a third (tfsimples-join)', async () => {
    const { h, url } = await mesh();
    for (const name of ['tfsimple1', 'tfsimple2', 'tfsimple3']) await load(h.plane, name, URIS.tfsimple);
    await loadPipeline(h.plane, 'join', JOIN);
    const answer = await post(url('/v2/models/join/infer'), TFSIMPLE_REQUEST, { 'seldon-model': 'join.pipeline' });
    // tfsimple3: INPUT0 = tfsimple1's OUTPUT0 (2x), INPUT1 = tfsimple2's OUTPUT1 (0).
    expect(answer.text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT0', double)},${goTensor('OUTPUT1', double)}]}`);
    expect(answer.headers.get('x-seldon-route')).toBe(':tfsimple1_1: :tfsimple2_1: :tfsimple3_1:, :join.pipeline:');
  });

  it('runs only the branch the conditional model feeds', async () => {
    const { h, url } = await mesh();
    for (const name of ['conditional', 'add10', 'mul10'] as const) await load(h.plane, name, URIS[name]);
    await loadPipeline(h.plane, 'tfsimple-conditional', CONDITIONAL);
    const request = (choice: number) => ({
      model_name: 'conditional',
      inputs: [
        { name: 'CHOICE', datatype: 'INT32', shape: [1], data: [choice] },
        { name: 'INPUT0', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4] },
        { name: 'INPUT1', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4] },
      ],
    });
    const send = (choice: number) => post(url('/v2/models/tfsimple-conditional/infer'), request(choice), { 'seldon-model': 'tfsimple-conditional.pipeline' });
    const zero = await send(0);
    expect(zero.text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT', [10, 20, 30, 40], [4], 'FP32')}]}`);
    expect(zero.headers.get('x-seldon-route')).toBe(':conditional_1: :mul10_1:, :tfsimple-conditional.pipeline:');
    const one = await send(1);
    expect(one.text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT', [11, 12, 13, 14], [4], 'FP32')}]}`);
    expect(one.headers.get('x-seldon-route')).toBe(':conditional_1: :add10_1:, :tfsimple-conditional.pipeline:');
    expect(h.plane.topics.read(NS, `seldon.${NS}.model.add10.inputs`, 0, 10)).toHaveLength(1);
  });

  it('runs a step only when its triggers are present (trigger-joins)', async () => {
    const { h, url } = await mesh();
    for (const name of ['add10', 'mul10'] as const) await load(h.plane, name, URIS[name]);
    await loadPipeline(h.plane, 'trigger-joins', TRIGGER_JOINS);
    const send = (trigger: string) =>
      post(url('/v2/pipelines/trigger-joins/infer'), {
        inputs: [
          { name: trigger, datatype: 'FP32', shape: [1], data: [1] },
          { name: 'INPUT', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4] },
        ],
      });
    expect((await send('ok1')).text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT', [10, 20, 30, 40], [4], 'FP32')}]}`);
    expect((await send('ok2')).headers.get('x-seldon-route')).toBe(':mul10_1:, :trigger-joins.pipeline:');
    const ok3 = await send('ok3');
    expect(ok3.text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT', [11, 12, 13, 14], [4], 'FP32')}]}`);
    // No trigger at all: no step runs, so no output ever comes; Envoy's route timeout is what the caller sees.
    const none = await send('other');
    expect(none.status).toBe(504);
    expect(none.text).toBe('upstream request timeout');
  });

  it('feeds one pipeline\'s outputs into another (tfsimple → tfsimple-extended)', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimple', TFSIMPLE);
    await loadPipeline(h.plane, 'tfsimple-extended', TFSIMPLE_EXTENDED);
    const answer = await post(url('/v2/models/tfsimple/infer'), TFSIMPLE_REQUEST, { 'seldon-model': 'tfsimple.pipeline', 'x-request-id': 'test-id' });
    expect(answer.text).toBe(`{"model_name":"","outputs":[${goTensor('OUTPUT0', double)},${goTensor('OUTPUT1', zeros)}]}`);
    const extended = await eventually(() => {
      const [message] = h.plane.topics.read(NS, `seldon.${NS}.pipeline.tfsimple-extended.outputs`, 0, 10);
      if (!message) throw new Error('no output yet');
      return message;
    });
    expect(extended.key).toBe('test-id');
    // Seldon carries the feeding pipeline's headers along: the route starts with tfsimple's.
    expect(extended.headers['x-seldon-route']).toEqual([':tfsimple1_1: :tfsimple2_1:']);
    expect(extended.json).toEqual({
      outputs: ['OUTPUT0', 'OUTPUT1'].map((name) => ({ name, datatype: 'INT32', shape: ['1', '16'], contents: { intContents: double } })),
    });
    const [inputs] = h.plane.topics.read(NS, `seldon.${NS}.pipeline.tfsimple-extended.inputs`, 0, 10);
    expect(inputs?.json).toHaveProperty('rawInputContents');
  });

  it('serves pipelines through the ingress\'s Istio routes, over REST and to a 404 once unloaded', async () => {
    const { h } = await mesh();
    h.view.put(
      gateway(),
      virtualService('tfsimples', [
        { match: [{ uri: { prefix: '/v2' } }], route: [{ destination: { host: 'seldon-mesh' }, headers: { request: { set: { 'seldon-model': 'tfsimples.pipeline' } } } }] },
      ]),
    );
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'tfsimples', TFSIMPLES);
    await new Promise((resolve) => setImmediate(resolve));
    const answer = await post(`http://127.0.0.1:${h.plane.port}/v2/models/tfsimples/infer`, TFSIMPLE_REQUEST);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('server')).toBe('istio-envoy');
    expect(answer.headers.get('x-seldon-route')).toBe(':tfsimple1_1: :tfsimple2_1:, :tfsimples.pipeline:');
    h.plane.pipelines.unload({ namespace: NS, name: 'tfsimples' });
    expect((await post(`http://127.0.0.1:${h.plane.port}/v2/models/tfsimples/infer`, TFSIMPLE_REQUEST)).status).toBe(404);
  });

  it('batches a step\'s inputs until the batch is full', async () => {
    const { h, url } = await mesh();
    await load(h.plane, 'tfsimple1', URIS.tfsimple);
    await load(h.plane, 'tfsimple2', URIS.tfsimple);
    await loadPipeline(h.plane, 'batched', {
      steps: [{ name: 'tfsimple1' }, { name: 'tfsimple2', batch: { size: 2 } }],
      output: { steps: ['tfsimple1'] },
    });
    const send = (id: string) => post(url('/v2/pipelines/batched/infer'), TFSIMPLE_REQUEST, { 'x-request-id': id });
    expect((await send('a')).status).toBe(200);
    expect(h.plane.topics.read(NS, `seldon.${NS}.model.tfsimple2`, 0, 10)).toEqual([]);
    await send('b');
    const [inputs, outputs] = h.plane.topics.read(NS, `seldon.${NS}.model.tfsimple2`, 0, 10);
    expect(inputs?.key).toBe('b');
    expect((inputs?.json.inputs as { shape: string[] }[])[0]?.shape).toEqual(['2', '16']);
    expect((outputs?.json.outputs as { contents: { intContents: number[] } }[])[0]?.contents.intContents).toEqual([...double, ...double]);
  });
});
