/**
 * `seldon model status NAME -w ModelAvailable` against the sandbox: a model the sandbox cannot serve ends the wait
 * at once with a runbook diagnostic (not the CLI's timeout message); a model that loads, or one that a later Server
 * places, still succeeds; against a scheduler whose kubeconfig does not say it is a sandbox's, the wait runs to the
 * CLI's own timeout.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SELDON_EXTENSION } from '../../../src/core/kubeconfig-extension.js';
import { loadKubeAccess } from '../../../src/kube/access.js';
import { classifyCommand } from '../../../src/parse/command.js';
import { kubeconfigConnectTo } from '../../../src/runner/connect.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { apply } from '../../../steps/apply.js';
import { runSeldon } from '../../../steps/seldon.js';
import { withVars } from '../../../steps/substitute.js';
import { closeCache, fakeContext } from './fake-seldon.js';

const INCOME = 'gs://seldon-models/scv2/samples/mlserver_1.3.5/income-sklearn/classifier';
const model = (name: string, uri: string, requirements: string[]) =>
  stringify({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name, namespace: 'seldon-mesh' }, spec: { storageUri: uri, requirements } });

let sandbox: Sandbox;
let dir: string;
let ctx: ReturnType<typeof fakeContext>;

beforeAll(async () => {
  sandbox = await startSandbox({ loadDelayMs: 10 });
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-seldon-permanent-'));
  await writeFile(path.join(dir, 'income.yaml'), model('income', INCOME, ['sklearn']));
  await writeFile(path.join(dir, 'iris.yaml'), model('iris', 'gs://seldon-models/mlserver/iris', ['sklearn']));
  await writeFile(path.join(dir, 'census.yaml'), model('census', INCOME, ['sklearn']));
  await writeFile(
    path.join(dir, 'census-pipe.yaml'),
    stringify({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Pipeline', metadata: { name: 'census-pipe', namespace: 'seldon-mesh' }, spec: { steps: [{ name: 'census' }], output: { steps: ['census'] } } }),
  );
  await writeFile(path.join(dir, 'iris-gpu.yaml'), model('iris-gpu', 'gs://seldon-models/mlserver/iris', ['sklearn', 'gpu']));
  ctx = { ...fakeContext(dir, { KUBECONFIG: sandbox.kubeconfigPath }), connectTo: await kubeconfigConnectTo(sandbox.kubeconfigPath) };
});
afterAll(async () => {
  await closeCache(ctx.cache);
  await sandbox.stop();
});

async function seldon(command: string, on = ctx) {
  const typed = classifyCommand(command);
  if (typed.kind !== 'seldon') throw new Error(`not a seldon step: ${JSON.stringify(typed)}`);
  return runSeldon(withVars.seldon(typed.args, on.vars), { ...on, deadline: Date.now() + 90_000 });
}

async function timed<T>(run: () => Promise<T>): Promise<{ out: T; ms: number }> {
  const started = Date.now();
  const out = await run();
  return { out, ms: Date.now() - started };
}

describe('seldon model status -w on the sandbox', () => {
  it('ends at once for a model the sandbox cannot serve, saying why, and prints no CLI timeout', async () => {
    expect(await seldon('seldon model load -f income.yaml')).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    // The CLI's default timeout is 60 s.
    const { out, ms } = await timed(() => seldon('seldon model status income -w ModelAvailable'));
    expect(ms).toBeLessThan(10_000);
    expect(out).toMatchObject({ stdout: '', exitCode: 1 });
    expect(out.stderr).toBe('runbook: not waiting for model/income: it is ModelFailed, a state the sandbox never leaves by itself (see diagnostics)\n');
    expect(out.stderr).not.toMatch(/Error:|wait status timeout/);
    expect(out.diagnostics?.[0]).toMatch(/^model\/income is ModelFailed: Failed to sync\/copy gs:\/\/seldon-models\/scv2\/samples\/mlserver_1\.3\.5\/income-sklearn\/classifier /);
    expect(out.diagnostics?.[0]).toContain('the sandbox cannot serve a trained artefact it does not have');
    expect(out.diagnostics?.[1]).toContain('rather than after its 60s timeout');
    // With jq in the pipe, as notebooks write it: still at once, still failing.
    const piped = await timed(() => seldon('seldon model status income -w ModelAvailable -t 300 | jq -M .'));
    expect(piped.ms).toBeLessThan(10_000);
    expect(piped.out).toMatchObject({ stdout: '', exitCode: 1 });
    expect(piped.out.diagnostics?.[1]).toContain('300s timeout');
    // Waiting for the failure itself is met, as with the CLI.
    expect(await seldon('seldon model status income -w ModelFailed')).toMatchObject({ stdout: '{}\n', stderr: '', exitCode: 0 });
  });

  it('ends at once for a pipeline awaited ready whose step model the sandbox cannot serve', async () => {
    expect(await seldon('seldon model load -f census.yaml')).toMatchObject({ exitCode: 0 });
    expect(await seldon('seldon pipeline load -f census-pipe.yaml')).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    const { out, ms } = await timed(() => seldon('seldon pipeline status census-pipe -w PipelineReady | jq -M .versions[0].state.status'));
    expect(ms).toBeLessThan(10_000);
    expect(out).toMatchObject({ stdout: '', exitCode: 1 });
    expect(out.stderr).toBe('runbook: not waiting for pipeline/census-pipe: it needs model/census, which is ModelFailed, a state the sandbox never leaves by itself (see diagnostics)\n');
    expect(out.diagnostics?.[0]).toBe('pipeline/census-pipe is PipelineCreating: waiting for models: census');
    expect(out.diagnostics?.[1]).toMatch(/^model\/census is ModelFailed: Failed to sync\/copy gs:\/\/seldon-models\/scv2\//);
    expect(out.diagnostics?.[2]).toContain('only re-applying model/census changes it');
  });

  it('still waits for a model that loads', async () => {
    expect(await seldon('seldon model load -f iris.yaml')).toMatchObject({ exitCode: 0 });
    expect(await seldon('seldon model status iris -w ModelAvailable')).toMatchObject({ stdout: '{}\n', stderr: '', exitCode: 0 });
  });

  it('keeps waiting on ScheduleFailed, which a Server applied later heals', async () => {
    expect(await seldon('seldon model load -f iris-gpu.yaml')).toMatchObject({ exitCode: 0 });
    expect(JSON.parse((await seldon('seldon model status iris-gpu')).stdout)).toMatchObject({ versions: [{ state: { state: 'ScheduleFailed' } }] });
    const started = Date.now();
    const waiting = seldon('seldon model status iris-gpu -w ModelAvailable -t 30');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const server = stringify({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Server', metadata: { name: 'mlserver-gpu', namespace: 'seldon-mesh' }, spec: { serverConfig: 'mlserver', extraCapabilities: ['gpu'] } });
    const kube = { ...ctx, kube: () => loadKubeAccess({ kubeconfig: sandbox.kubeconfigPath }) };
    expect(await apply.run({ source: { type: 'stdin', text: server }, serverSide: false }, kube)).toMatchObject({ exitCode: 0 });
    expect(await waiting).toMatchObject({ stdout: '{}\n', stderr: '', exitCode: 0 });
    // It was still waiting when the Server came.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('against a kubeconfig that does not say it is a sandbox, waits for the CLI timeout as before', async () => {
    // The sandbox's kubeconfig without its runbook.dev/seldon extension: a real cluster's, reached with the flag.
    const doc = parse(await readFile(sandbox.kubeconfigPath, 'utf8')) as { clusters: { cluster: { extensions: { name: string }[] } }[] };
    for (const c of doc.clusters) c.cluster.extensions = c.cluster.extensions.filter((e) => e.name !== SELDON_EXTENSION);
    const plain = path.join(dir, 'plain-kubeconfig');
    await writeFile(plain, stringify(doc));
    const real = { ...ctx, vars: { KUBECONFIG: plain }, cache: new Map<string, unknown>() };
    try {
      const { out, ms } = await timed(() => seldon('seldon model status income -w ModelAvailable -t 2 --scheduler-host 172.21.255.3:9004', real));
      expect(out).toMatchObject({ stdout: '', stderr: 'Error: Model wait status timeout\n', exitCode: 1 });
      expect(out.diagnostics).toBeUndefined();
      expect(ms).toBeGreaterThanOrEqual(2000);
    } finally {
      await closeCache(real.cache);
    }
  });
});
