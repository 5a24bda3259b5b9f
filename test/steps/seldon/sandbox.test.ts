/**
 * The seldon step against the sandbox (its scheduler, mesh and topics), addressed only through the sandbox's
 * kubeconfig, as a `--sandbox` run addresses it: the runbook.dev/seldon extension and the connect-to mappings.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { SELDON_EXTENSION } from '../../../src/core/kubeconfig-extension.js';
import { loadKubeAccess } from '../../../src/kube/access.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../src/parse/command.js';
import { kubeconfigConnectTo } from '../../../src/runner/connect.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { runSeldon } from '../../../steps/seldon.js';
import { withVars } from '../../../steps/substitute.js';
import { closeCache, fakeContext } from './fake-seldon.js';
import { needs } from '../../tools.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SIXTEEN = '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]';
const TFSIMPLE = `{"inputs":[{"name":"INPUT0","data":${SIXTEEN},"datatype":"INT32","shape":[1,16]},{"name":"INPUT1","data":${SIXTEEN},"datatype":"INT32","shape":[1,16]}]}`;
let sandbox: Sandbox;
let ctx: ReturnType<typeof fakeContext>;

beforeAll(async () => {
  sandbox = await startSandbox({ loadDelayMs: 10 });
  ctx = { ...fakeContext(path.join(ROOT, 'runbooks'), { KUBECONFIG: sandbox.kubeconfigPath }), connectTo: await kubeconfigConnectTo(sandbox.kubeconfigPath) };
});
afterAll(async () => {
  await closeCache(ctx.cache);
  await sandbox.stop();
});

async function seldon(command: string) {
  const typed = classifyCommand(command);
  if (typed.kind !== 'seldon') throw new Error(`not a seldon step: ${JSON.stringify(typed)}`);
  return runSeldon(withVars.seldon(typed.args, ctx.vars), { ...ctx, deadline: Date.now() + 30_000 });
}

describe('seldon step against the sandbox', () => {
  it('loads a model, waits for it, and infers', async () => {
    expect(await seldon('seldon model load -f config/pipelines/models/tfsimple1.yaml')).toMatchObject({ stdout: '{}\n', stderr: '', exitCode: 0 });
    expect(await seldon('seldon model status tfsimple1 -w ModelAvailable')).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    const out = await seldon(`seldon model infer tfsimple1 '{"inputs":[{"name":"INPUT0","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"datatype":"INT32","shape":[1,16]},{"name":"INPUT1","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"datatype":"INT32","shape":[1,16]}]}'`);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^\{\n\t"model_name": "tfsimple1_1",\n/);
    expect(JSON.parse(out.stdout)).toMatchObject({ outputs: [{ name: 'OUTPUT0', data: [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32] }, { name: 'OUTPUT1' }] });
  });

  needs('kubectl 1.32').it('a Model applied with kubectl is one the seldon CLI sees', async () => {
    const kubectl = await run('kubectl', ['--kubeconfig', sandbox.kubeconfigPath, 'apply', '-f', path.join(ROOT, 'runbooks/config/pipelines/models/tfsimple2.yaml')]);
    expect(kubectl.stdout).toBe('model.mlops.seldon.io/tfsimple2 created\n');
    expect(await seldon('seldon model status tfsimple2 -w ModelAvailable')).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    const status = JSON.parse((await seldon('seldon model status tfsimple2')).stdout) as { modelName: string; versions: { state: { state: string } }[] };
    expect(status).toMatchObject({ modelName: 'tfsimple2', versions: [{ state: { state: 'ModelAvailable' } }] });
    expect((await seldon('seldon model list')).stdout).toMatch(/^tfsimple2\t+ModelAvailable/m);
  });

  it('pipeline status, infer and inspect of a chain', async () => {
    await seldon('seldon model load -f config/pipelines/models/tfsimple2.yaml');
    await seldon('seldon model status tfsimple2 -w ModelAvailable');
    expect(await seldon('seldon pipeline load -f config/pipelines/tfsimples.yaml')).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    const status = await seldon('seldon pipeline status tfsimples -w PipelineReady | jq -M .versions[0].state.status');
    expect(status.stdout).toBe('"PipelineReady"\n');
    const infer = await seldon(`seldon pipeline infer tfsimples --header x-request-id=req-1 '${TFSIMPLE}' | jq -M .outputs[0].data[15]`);
    // tfsimple2 adds tfsimple1's sum and difference: 2x + 0 for x = 16.
    expect(infer).toMatchObject({ stdout: '32\n', stderr: '', exitCode: 0 });
    const inspect = await seldon('seldon pipeline inspect tfsimples');
    expect(inspect.stdout.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual([
      'seldon.seldon-mesh.model.tfsimple1.inputs req-1',
      'seldon.seldon-mesh.model.tfsimple1.outputs req-1',
      'seldon.seldon-mesh.model.tfsimple2.inputs req-1',
      'seldon.seldon-mesh.model.tfsimple2.outputs req-1',
      'seldon.seldon-mesh.pipeline.tfsimples.inputs req-1',
      'seldon.seldon-mesh.pipeline.tfsimples.outputs req-1',
    ]);
  });

  it('one topic namespace per install: a pipeline whose file names no namespace chains one that names seldon-mesh', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'seldon-topics-'));
    const file = (name: string, body: string) => writeFile(path.join(dir, `${name}.yaml`), body).then(() => path.join(dir, `${name}.yaml`));
    const head = (name: string, namespace?: string) => `apiVersion: mlops.seldon.io/v1alpha1\nkind: Pipeline\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}`;
    const upstream = await file('up', `${head('up', 'seldon-mesh')}spec:\n  steps:\n    - name: tfsimple1\n  output:\n    steps:\n    - tfsimple1\n`);
    const tail = 'spec:\n  input:\n    externalInputs:\n      - up.outputs\n    tensorMap:\n      up.outputs.OUTPUT0: INPUT0\n      up.outputs.OUTPUT1: INPUT1\n  steps:\n    - name: tfsimple2\n  output:\n    steps:\n    - tfsimple2\n';
    const downstream = await file('down', `${head('down')}${tail}`);
    const elsewhere = await file('down-elsewhere', `${head('down-elsewhere', 'team-a')}${tail}`);
    await seldon('seldon model load -f config/pipelines/models/tfsimple2.yaml');
    for (const f of [upstream, downstream, elsewhere]) expect(await seldon(`seldon pipeline load -f ${f}`)).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    for (const p of ['up', 'down', 'down-elsewhere']) expect((await seldon(`seldon pipeline status ${p} -w PipelineReady | jq -M .versions[0].state.status`)).stdout).toBe('"PipelineReady"\n');
    await seldon(`seldon pipeline infer up --header x-request-id=chain-1 '${TFSIMPLE}'`);
    const topics = async (command: string) => (await seldon(command)).stdout.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 2).join(' '));
    // Both chained pipelines ran on up's outputs, in the install's one namespace, whatever their files said.
    for (const p of ['down', 'down-elsewhere']) {
      expect(await topics(`seldon pipeline inspect ${p}.outputs`)).toEqual([`seldon.seldon-mesh.pipeline.${p}.outputs chain-1`]);
    }
    expect(await topics('seldon pipeline inspect up.outputs')).toEqual(['seldon.seldon-mesh.pipeline.up.outputs chain-1']);
    // `--namespace` names the topics as given: the install has none under `default`.
    expect(await seldon('seldon pipeline inspect down.outputs --namespace default')).toMatchObject({ stdout: '', exitCode: 0 });
    for (const p of ['down-elsewhere', 'down', 'up']) await seldon(`seldon pipeline unload ${p}`);
  });
});

describe('seldon step against a cluster whose kubeconfig says nothing of Seldon', () => {
  it('finds the scheduler and the mesh through the seldon-scheduler and seldon-mesh LoadBalancer Services', async () => {
    const doc = parse(await readFile(sandbox.kubeconfigPath, 'utf8')) as { clusters: { cluster: { extensions: { name: string }[] } }[] };
    for (const c of doc.clusters) c.cluster.extensions = c.cluster.extensions.filter((e) => e.name !== SELDON_EXTENSION);
    const plain = path.join(await mkdtemp(path.join(tmpdir(), 'seldon-plain-')), 'kubeconfig');
    await writeFile(plain, stringify(doc));
    const local = { ...fakeContext(path.join(ROOT, 'runbooks'), { KUBECONFIG: plain }), connectTo: ctx.connectTo, kube: () => loadKubeAccess({ kubeconfig: plain }) };
    const typed = classifyCommand('seldon server list');
    if (typed.kind !== 'seldon') throw new Error('not a seldon step');
    const out = await runSeldon(typed.args, { ...local, deadline: Date.now() + 30_000 });
    expect(out).toMatchObject({ stderr: '', exitCode: 0 });
    expect(out.stdout).toMatch(/^mlserver\t/m);
    await closeCache(local.cache);
  });
});

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}
