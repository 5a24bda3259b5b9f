/**
 * The seldon step against a small Seldon on 127.0.0.1: each command's output equals the transcript the Go CLI's
 * printing rules give (protojson on one line, `{}` after load and after a model wait, tab-indented REST answers,
 * `Success: map[…]` with sorted keys, tabwriter tables, `Error: …` with exit 1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../src/parse/command.js';
import { runSeldon } from '../../../steps/seldon.js';
import { withVars } from '../../../steps/substitute.js';
import { closeCache, fakeContext, startFakeSeldon, type FakeSeldon } from './fake-seldon.js';

let fake: FakeSeldon;
let dir: string;
let ctx: ReturnType<typeof fakeContext>;

beforeAll(async () => {
  fake = await startFakeSeldon();
  dir = mkdtempSync(path.join(tmpdir(), 'seldon-step-'));
  writeFileSync(path.join(dir, 'iris.yaml'), 'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: iris\nspec:\n  storageUri: "gs://seldon-models/mlserver/iris"\n  requirements:\n  - sklearn\n  memory: 100Ki\n');
  writeFileSync(path.join(dir, 'typo.yaml'), 'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: iris\nspec:\n  storagUri: "gs://x"\n');
  writeFileSync(path.join(dir, 'tfsimple.yaml'), 'apiVersion: mlops.seldon.io/v1alpha1\nkind: Pipeline\nmetadata:\n  name: tfsimple\nspec:\n  steps:\n    - name: tfsimple1\n  output:\n    steps:\n    - tfsimple1\n');
});
afterAll(async () => fake.close());
beforeEach(async () => {
  if (ctx) await closeCache(ctx.cache);
  ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: fake.schedulerHost, SELDON_INFER_HOST: fake.inferenceHost, SELDON_KAFKA_BROKER: fake.kafkaBroker });
});

async function seldon(command: string) {
  const typed = classifyCommand(command);
  if (typed.kind !== 'seldon') throw new Error(`not a seldon step: ${JSON.stringify(typed)}`);
  return runSeldon(withVars.seldon(typed.args, ctx.vars), ctx);
}

describe('seldon step transcripts', () => {
  it('load prints {} and sends the scheduler the model (memory in bytes, kubernetesMeta)', async () => {
    const out = await seldon('seldon model load -f iris.yaml');
    expect(out).toMatchObject({ stdout: '{}\n', stderr: '', exitCode: 0 });
    // The manifest is the file's, marked as loaded by seldon (cleanup unloads it; the matchers read experiments').
    expect(out.data).toEqual({
      type: 'objects',
      objects: [
        {
          apiVersion: 'mlops.seldon.io/v1alpha1',
          kind: 'Model',
          name: 'iris',
          outcome: 'created',
          manifest: expect.objectContaining({ kind: 'Model', metadata: expect.objectContaining({ name: 'iris' }), 'runbook.dev/loaded-by-seldon': true }),
        },
      ],
    });
    // Loaded again, it was there before: `configured`, which cleanup leaves alone.
    expect((await seldon('seldon model load -f iris.yaml')).data).toMatchObject({ objects: [{ name: 'iris', outcome: 'configured' }] });
    const load = fake.calls.find((c) => c.method === 'LoadModel')!.request;
    expect(load).toMatchObject({ model: { meta: { name: 'iris', kind: 'Model' }, modelSpec: { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'], memoryBytes: '102400' }, deploymentSpec: { replicas: 1 } } });
  });

  it('a model wait prints {} (the CLI prints its shadowed, empty answer); without -w the status on one line', async () => {
    await seldon('seldon model load -f iris.yaml');
    expect((await seldon('seldon model status iris -w ModelAvailable')).stdout).toBe('{}\n');
    expect((await seldon('seldon model status iris')).stdout).toBe(
      '{"modelName":"iris", "versions":[{"version":1, "serverName":"mlserver", "kubernetesMeta":{}, "state":{"state":"ModelAvailable", "availableReplicas":1, "lastChangeTimestamp":"2023-06-29T14:05:04.460Z"}}]}\n',
    );
    expect((await seldon('seldon model status iris | jq -M .versions[0].state.state')).stdout).toBe('"ModelAvailable"\n');
  });

  it('pipeline load, status -w (the full answer) and jq pretty-printing', async () => {
    expect((await seldon('seldon pipeline load -f tfsimple.yaml')).stdout).toBe('{}\n');
    const sent = fake.calls.filter((c) => c.method === 'LoadPipeline').at(-1)!.request;
    expect(sent).toMatchObject({ pipeline: { name: 'tfsimple', steps: [{ name: 'tfsimple1' }], output: { steps: ['tfsimple1.outputs'] } } });
    const status = await seldon('seldon pipeline status tfsimple -w PipelineReady | jq -M .');
    expect(status.stdout).toBe(
      [
        '{',
        '  "pipelineName": "tfsimple",',
        '  "versions": [',
        '    {',
        '      "pipeline": {',
        '        "name": "tfsimple",',
        '        "uid": "ciep26qi8ufs73flaiqg",',
        '        "version": 1,',
        '        "steps": [',
        '          {',
        '            "name": "tfsimple1"',
        '          }',
        '        ],',
        '        "output": {',
        '          "steps": [',
        '            "tfsimple1.outputs"',
        '          ]',
        '        },',
        '        "kubernetesMeta": {}',
        '      },',
        '      "state": {',
        '        "pipelineVersion": 1,',
        '        "status": "PipelineReady",',
        '        "reason": "created pipeline",',
        '        "lastChangeTimestamp": "2023-06-29T14:05:04.460Z",',
        '        "modelsReady": true',
        '      }',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('REST infer prints the answer indented with tabs in the server order, and -i N the routes as a Go map', async () => {
    const one = await seldon(`seldon model infer iris '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}'`);
    expect(one.stdout).toBe(
      '{\n\t"model_name": "iris_1",\n\t"model_version": "1",\n\t"id": "d3b5d8ea-7e7a-4a6d-9b0c-3a0e3c2f1b11",\n\t"parameters": {},\n\t"outputs": [\n\t\t{\n\t\t\t"name": "predict",\n\t\t\t"shape": [\n\t\t\t\t1,\n\t\t\t\t1\n\t\t\t],\n\t\t\t"datatype": "INT64",\n\t\t\t"parameters": {\n\t\t\t\t"content_type": "np"\n\t\t\t},\n\t\t\t"data": [\n\t\t\t\t2\n\t\t\t]\n\t\t}\n\t]\n}\n',
    );
    expect(fake.restHeaders.at(-1)).toMatchObject({ 'seldon-model': 'iris', 'content-type': 'application/json' });
    fake.routes.splice(0, fake.routes.length, ':iris_1:', ':iris2_1:', ':iris2_1:');
    const split = await seldon(`seldon model infer iris -i 6 '{"inputs": []}'`);
    expect(split.stdout).toBe('Success: map[:iris2_1::4 :iris_1::2]\n');
    fake.routes.splice(0, fake.routes.length, ':iris_1:');
  });

  it('pipeline infer routes by NAME.pipeline; --header sets a header', async () => {
    await seldon(`seldon pipeline infer tfsimple --header x-request-id=test-id '{"inputs": []}'`);
    expect(fake.restHeaders.at(-1)).toMatchObject({ 'seldon-model': 'tfsimple.pipeline', 'x-request-id': 'test-id' });
  });

  it('gRPC infer prints protojson with the raw contents read into typed contents, and the raw buffers dropped', async () => {
    ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: fake.schedulerHost, SELDON_INFER_HOST: fake.grpcInferenceHost });
    const out = await seldon(`seldon model infer iris --inference-mode grpc '{"inputs":[{"name":"predict","contents":{"fp32_contents":[1,2,3,4]},"datatype":"FP32","shape":[1,4]}]}'`);
    expect(out.stdout).toBe('{"modelName":"iris_1", "modelVersion":"1", "outputs":[{"name":"predict", "datatype":"INT64", "shape":["1", "1"], "contents":{"int64Contents":["2"]}}]}\n');
    const sent = fake.calls.filter((c) => c.method === 'ModelInfer').at(-1)!.request as { model_name: string; metadata: Record<string, unknown> };
    expect(sent.model_name).toBe('iris');
    expect(sent.metadata['seldon-model']).toBe('iris');
  });

  describe('gRPC raw output contents, by the CLI rule (updateResponseFromRawContents)', () => {
    const saved = () => fake.grpcAnswer.current;
    let original: Record<string, unknown>;
    beforeEach(() => {
      original = saved();
      ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: fake.schedulerHost, SELDON_INFER_HOST: fake.grpcInferenceHost });
    });
    afterEach(() => {
      fake.grpcAnswer.current = original;
    });
    const infer = (flags = '') => seldon(`seldon model infer tfsimple1 --inference-mode grpc ${flags} '{"inputs":[]}'`);
    const le = (kind: 'Int32' | 'UInt32' | 'Float', values: number[]) => {
      const b = Buffer.alloc(values.length * 4);
      values.forEach((v, i) => b[`write${kind}LE`](v, i * 4));
      return b;
    };

    it('each buffer fills the next output without typed contents; an output that came typed keeps its own', async () => {
      fake.grpcAnswer.current = {
        outputs: [
          { name: 'OUTPUT0', datatype: 'INT32', shape: ['1', '2'], contents: { int_contents: [5, 6] } },
          { name: 'OUTPUT1', datatype: 'FP32', shape: ['2'] },
          { name: 'OUTPUT2', datatype: 'INT32', shape: ['1'] },
        ],
        raw_output_contents: [le('Float', [1.5, -2]), le('Int32', [-7])],
      };
      expect((await infer()).stdout).toBe(
        '{"outputs":[{"name":"OUTPUT0", "datatype":"INT32", "shape":["1", "2"], "contents":{"intContents":[5, 6]}}, {"name":"OUTPUT1", "datatype":"FP32", "shape":["2"], "contents":{"fp32Contents":[1.5, -2]}}, {"name":"OUTPUT2", "datatype":"INT32", "shape":["1"], "contents":{"intContents":[-7]}}]}\n',
      );
    });

    it('reads as many elements as the shape holds, 8- and 16-bit integers 4 bytes each (Go slices of int32/uint32)', async () => {
      const bytes = Buffer.concat([Buffer.from([2, 0, 0, 0]), Buffer.from('ab'), Buffer.from([1, 0, 0, 0]), Buffer.from('c')]);
      fake.grpcAnswer.current = {
        outputs: [
          { name: 'U8', datatype: 'UINT8', shape: ['2'] },
          { name: 'I16', datatype: 'INT16', shape: ['1'] },
          { name: 'S', datatype: 'BYTES', shape: ['2'] },
        ],
        // One element more than the shape holds in U8: Go reads what the slice takes and leaves the rest.
        raw_output_contents: [le('UInt32', [7, 300, 9]), le('Int32', [-3]), bytes],
      };
      expect((await infer()).stdout).toBe(
        '{"outputs":[{"name":"U8", "datatype":"UINT8", "shape":["2"], "contents":{"uintContents":[7, 300]}}, {"name":"I16", "datatype":"INT16", "shape":["1"], "contents":{"intContents":[-3]}}, {"name":"S", "datatype":"BYTES", "shape":["2"], "contents":{"bytesContents":["YWI=", "Yw=="]}}]}\n',
      );
    });

    it('more buffers than outputs to fill, or a buffer too short for the shape, is the CLI error with exit 1', async () => {
      fake.grpcAnswer.current = { outputs: [{ name: 'OUTPUT0', datatype: 'INT32', shape: ['1'] }], raw_output_contents: [le('Int32', [1]), le('Int32', [2])] };
      expect(await infer()).toMatchObject({ stdout: '', stderr: 'Error: Ran out of output contents to fill raw contents of length 2\n', exitCode: 1 });
      fake.grpcAnswer.current = { outputs: [{ name: 'OUTPUT0', datatype: 'UINT8', shape: ['4'] }], raw_output_contents: [Buffer.from([1, 2, 3, 4])] };
      expect(await infer()).toMatchObject({ stderr: 'Error: unexpected EOF\n', exitCode: 1 });
    });

    it('-i N counts every x-seldon-route value of an answer, REST and gRPC (a pipeline answers with two)', async () => {
      fake.routes.splice(0, fake.routes.length, ':add10_1:|:pipeline-add10.pipeline:');
      try {
        expect((await infer('-i 3')).stdout).toBe('Success: map[:add10_1::3 :pipeline-add10.pipeline::3]\n');
        ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: fake.schedulerHost, SELDON_INFER_HOST: fake.inferenceHost });
        expect((await seldon(`seldon pipeline infer pipeline-add10 -i 2 '{"inputs": []}'`)).stdout).toBe('Success: map[:add10_1::2 :pipeline-add10.pipeline::2]\n');
      } finally {
        fake.routes.splice(0, fake.routes.length, ':iris_1:');
      }
    });

    it('-i N counts the routes and prints no answer', async () => {
      fake.grpcAnswer.current = { outputs: [{ name: 'OUTPUT0', datatype: 'INT32', shape: ['1'] }], raw_output_contents: [le('Int32', [1]), le('Int32', [2])] };
      expect((await infer('-i 3')).stdout).toBe('Success: map[:iris_1::3]\n');
    });
  });

  it('lists are tabwriter tables (tab padding to the widest cell plus one, rounded to 8)', async () => {
    await seldon('seldon model load -f iris.yaml');
    fake.models.set('tfsimple1', {});
    expect((await seldon('seldon model list')).stdout).toBe('model\t\tstate\t\treason\n-----\t\t-----\t\t------\niris\t\tModelAvailable\t\ntfsimple1\tModelAvailable\t\n');
    expect((await seldon('seldon experiment list')).stdout).toBe('experiment\tactive\t\n----------\t------\t\nab\t\ttrue\n');
    fake.models.delete('tfsimple1');
  });

  it('pipeline inspect prints TOPIC, request id and JSON per message, for the steps of the pipeline', async () => {
    await seldon('seldon pipeline load -f tfsimple.yaml');
    const out = await seldon('seldon pipeline inspect tfsimple');
    expect(out.stdout.split('\n').map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual([
      'seldon.default.model.tfsimple1.inputs cg5g6ogfh5ss73a44vvg',
      'seldon.default.model.tfsimple1.outputs cg5g6ogfh5ss73a44vvg',
      'seldon.default.pipeline.tfsimple.outputs cg5g6ogfh5ss73a44vvg',
      '',
    ]);
    const tensor = await seldon('seldon pipeline inspect tfsimple.tfsimple1.outputs.OUTPUT1');
    expect(tensor.stdout).toBe('seldon.default.model.tfsimple1.outputs\tcg5g6ogfh5ss73a44vvg\t{"name":"OUTPUT1", "datatype":"INT32", "shape":["1", "4"], "contents":{"intContents":[0, 0, 0, 0]}}\n');
    expect((await seldon('seldon pipeline inspect tfsimple.tfsimple1.inputs --verbose')).stdout).toBe(
      'seldon.default.model.tfsimple1.inputs\tcg5g6ogfh5ss73a44vvg\t{"inputs":[{"name":"INPUT0", "datatype":"INT32", "shape":["1", "4"], "contents":{"intContents":[1, 2, 3, 4]}}]}\t\tx-request-id=[test-id]\tpipeline=[tfsimple]\n',
    );
    expect(await seldon('seldon pipeline inspect tfsimple.nostep')).toMatchObject({ stderr: 'Error: Failed to find step with name nostep in pipeline tfsimple\n', exitCode: 1 });
  });

  it('errors: a misspelt field, a missing file, a scheduler error, an unreachable scheduler named with its source', async () => {
    expect(await seldon('seldon model load -f typo.yaml')).toMatchObject({ stdout: '', stderr: 'Error: json: unknown field "storagUri"\n', exitCode: 1 });
    expect(await seldon('seldon model load -f nothere.yaml')).toMatchObject({ stderr: 'Error: open nothere.yaml: no such file or directory\n', exitCode: 1 });
    expect(await seldon('seldon model unload ghost')).toMatchObject({ stderr: 'Error: rpc error: code = FailedPrecondition desc = Model ghost not found\n', exitCode: 1 });
    ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: '127.0.0.1:1' });
    const down = await seldon('seldon model status iris');
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toBe(
      'Error: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect: connection refused" (127.0.0.1:1 from $SELDON_SCHEDULE_HOST)\n',
    );
    expect(down.stderr.split('\n')).toHaveLength(2);
  });

  it('--show-headers prints the request and response headers as Go names them; variables are substituted', async () => {
    ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: '127.0.0.1:1', MESH: fake.inferenceHost });
    const out = await seldon(`seldon model infer iris --inference-host \${MESH} --show-headers --header x-request-id=r1 '{"inputs": []}'`);
    const lines = out.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Request header Content-Type:[application/json]', 'Request header Seldon-Model:[iris]', 'Request header X-Request-Id:[r1]']);
    expect(lines).toContain('Response header X-Seldon-Route:[:iris_1:]');
    expect(out.exitCode).toBe(0);
    // Piped into jq, the header lines are not JSON: jq stops at once, as it would after the real CLI.
    const piped = await seldon(`seldon model infer iris --inference-host \${MESH} --show-headers '{"inputs": []}' | jq -M .`);
    expect(piped).toMatchObject({ stdout: '', exitCode: 2 });
  });

  it('inspect --format json, and a Kafka broker that cannot be reached, named with its source', async () => {
    await seldon('seldon pipeline load -f tfsimple.yaml');
    const json = await seldon('seldon pipeline inspect tfsimple.outputs --format json | jq -M .topics[0].msgs[0].key');
    expect(json.stdout).toBe('"cg5g6ogfh5ss73a44vvg"\n');
    ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: fake.schedulerHost, SELDON_KAFKA_BROKER: '127.0.0.1:1' });
    const kafka = await seldon('seldon pipeline inspect tfsimple');
    expect(kafka).toMatchObject({ stdout: '', exitCode: 1 });
    expect(kafka.stderr).toBe('Error: Local: Broker transport failure: dial tcp 127.0.0.1:1: connect: connection refused (127.0.0.1:1 from $SELDON_KAFKA_BROKER)\n');
  });

  it('the --scheduler-host flag beats the environment', async () => {
    ctx = fakeContext(dir, { SELDON_SCHEDULE_HOST: '127.0.0.1:1' });
    expect(await seldon(`seldon model load -f iris.yaml --scheduler-host ${fake.schedulerHost}`)).toMatchObject({ stdout: '{}\n', exitCode: 0 });
  });
});
