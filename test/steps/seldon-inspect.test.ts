/**
 * `seldon pipeline inspect` end to end against the sandbox addressed as a real cluster: the scheduler and the
 * Kafka broker given as plain `127.0.0.1:PORT` addresses (flag and environment), no kubeconfig extension and no
 * connect-to mapping, so the step takes the path it takes against a real Kafka broker.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCommand } from '../../src/parse/command.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runSeldon } from '../../steps/seldon.js';
import { withVars } from '../../steps/substitute.js';
import { closeCache, fakeContext } from './seldon/fake-seldon.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tensor = (name: string, first: number) => `{"name":"${name}","data":[${Array.from({ length: 16 }, (_, i) => i + first).join(',')}],"datatype":"INT32","shape":[1,16]}`;
let sandbox: Sandbox;
let ctx: ReturnType<typeof fakeContext>;
let broker: string;
/** The broker, and the install's topic namespace as a CLI without a config file must be told it. */
let kafka: string;

async function seldon(command: string) {
  const typed = classifyCommand(command);
  if (typed.kind !== 'seldon') throw new Error(`not a seldon step: ${JSON.stringify(typed)}`);
  return runSeldon(withVars.seldon(typed.args, ctx.vars), { ...ctx, deadline: Date.now() + 30_000 });
}

beforeAll(async () => {
  sandbox = await startSandbox({ loadDelayMs: 10 });
  broker = `127.0.0.1:${sandbox.kafkaPort}`;
  kafka = `--kafka-broker ${broker} --namespace seldon-mesh`;
  ctx = fakeContext(path.join(ROOT, 'runbooks'), { SELDON_SCHEDULE_HOST: `127.0.0.1:${sandbox.schedulerPort}`, SELDON_INFER_HOST: `127.0.0.1:${sandbox.meshPort}` });
  for (const file of ['models/tfsimple1.yaml', 'models/tfsimple2.yaml', 'tfsimples.yaml']) await seldon(`seldon ${file.startsWith('models') ? 'model' : 'pipeline'} load -f config/pipelines/${file}`);
  await seldon('seldon pipeline status tfsimples -w PipelineReady');
  // Two requests through the chain: req-1 with 1..16, req-2 with 2..17.
  for (const [id, first] of [['req-1', 1], ['req-2', 2]] as const) {
    const out = await seldon(`seldon pipeline infer tfsimples --header x-request-id=${id} '{"inputs":[${tensor('INPUT0', first)},${tensor('INPUT1', first)}]}'`);
    expect(out.exitCode).toBe(0);
  }
});
afterAll(async () => {
  await closeCache(ctx.cache);
  await sandbox.stop();
});

const keys = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 2).join(' '));

describe('pipeline inspect over Kafka', () => {
  it('reads the last message of each topic by default, the last N with --offset, filtered by --request-id', async () => {
    const last = await seldon(`seldon pipeline inspect tfsimples ${kafka}`);
    expect(last.exitCode).toBe(0);
    expect(keys(last.stdout)).toEqual(
      ['model.tfsimple1.inputs', 'model.tfsimple1.outputs', 'model.tfsimple2.inputs', 'model.tfsimple2.outputs', 'pipeline.tfsimples.inputs', 'pipeline.tfsimples.outputs'].map((t) => `seldon.seldon-mesh.${t} req-2`),
    );
    const two = keys((await seldon(`seldon pipeline inspect tfsimples.tfsimple1 ${kafka} --offset 2`)).stdout);
    expect(two).toEqual(['inputs req-1', 'inputs req-2', 'outputs req-1', 'outputs req-2'].map((s) => `seldon.seldon-mesh.model.tfsimple1.${s.split(' ')[0]} ${s.split(' ')[1]}`));
    const one = keys((await seldon(`seldon pipeline inspect tfsimples.tfsimple1.outputs ${kafka} --offset 5 --request-id req-1`)).stdout);
    expect(one).toEqual(['seldon.seldon-mesh.model.tfsimple1.outputs req-1']);
    // Without --namespace (and no config naming one) the CLI reads `seldon.default.…`, which this install lacks.
    expect(await seldon(`seldon pipeline inspect tfsimples.tfsimple1.outputs --kafka-broker ${broker}`)).toMatchObject({ stdout: '', exitCode: 0 });
  });

  it('prints the OIP protobuf values as Go protojson, one tensor of them, and the headers with --verbose', async () => {
    const out = await seldon(`seldon pipeline inspect tfsimples.tfsimple1.outputs ${kafka}`);
    const sums = Array.from({ length: 16 }, (_, i) => 2 * (i + 2)).join(', ');
    const zeros = Array.from({ length: 16 }, () => 0).join(', ');
    expect(out.stdout).toBe(
      `seldon.seldon-mesh.model.tfsimple1.outputs\treq-2\t{"modelName":"tfsimple1_1", "modelVersion":"1", "outputs":[{"name":"OUTPUT0", "datatype":"INT32", "shape":["1", "16"], "contents":{"intContents":[${sums}]}}, {"name":"OUTPUT1", "datatype":"INT32", "shape":["1", "16"], "contents":{"intContents":[${zeros}]}}]}\n`,
    );
    const picked = await seldon(`seldon pipeline inspect tfsimples.tfsimple1.outputs.OUTPUT0 ${kafka}`);
    expect(picked.stdout).toBe(`seldon.seldon-mesh.model.tfsimple1.outputs\treq-2\t{"name":"OUTPUT0", "datatype":"INT32", "shape":["1", "16"], "contents":{"intContents":[${sums}]}}\n`);
    const verbose = await seldon(`seldon pipeline inspect tfsimples.inputs ${kafka} --verbose`);
    const [, , , gap, ...headers] = verbose.stdout.trimEnd().split('\t');
    expect(gap).toBe('');
    expect(headers).toEqual(expect.arrayContaining(['pipeline=[tfsimples]', 'x-request-id=[req-2]']));
  });

  it('--format json is Go encoding/json of the answer: headers null unless --verbose, values compact', async () => {
    const out = await seldon(`seldon pipeline inspect tfsimples.tfsimple2.outputs.OUTPUT1 ${kafka} --format json`);
    expect(out.stdout).toBe(`{"topics":[{"name":"seldon.seldon-mesh.model.tfsimple2.outputs","msgs":[{"headers":null,"key":"req-2","value":{"name":"OUTPUT1","datatype":"INT32","shape":["1","16"],"contents":{"intContents":[${Array.from({ length: 16 }, (_, i) => 2 * (i + 2)).join(',')}]}}}]}]}\n`);
    const verbose = JSON.parse((await seldon(`seldon pipeline inspect tfsimples.outputs ${kafka} --format json --verbose`)).stdout) as { topics: { msgs: { headers: Record<string, string[]> }[] }[] };
    expect(Object.keys(verbose.topics[0]!.msgs[0]!.headers)).toEqual([...Object.keys(verbose.topics[0]!.msgs[0]!.headers)].sort());
    expect(verbose.topics[0]!.msgs[0]!.headers.pipeline).toEqual(['tfsimples']);
  });

  it('a broker that cannot be reached is one line naming the address and the flag it came from', async () => {
    const down = await seldon('seldon pipeline inspect tfsimples --kafka-broker 127.0.0.1:1');
    expect(down).toMatchObject({ stdout: '', exitCode: 1 });
    expect(down.stderr).toBe('Error: Local: Broker transport failure: dial tcp 127.0.0.1:1: connect: connection refused (127.0.0.1:1 from the --kafka-broker flag)\n');
  });
});
