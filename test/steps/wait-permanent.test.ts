/**
 * `kubectl wait --for condition=ready model/NAME` (the native wait step) against a real sandbox: a model the sandbox
 * cannot serve ends the wait at once with a runbook diagnostic, not kubectl's timeout message; a model that loads,
 * or one a later Server places, is still met; a kubeconfig that does not say it is a sandbox's waits the timeout.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SELDON_EXTENSION } from '../../src/core/kubeconfig-extension.js';
import type { WaitArgs } from '../../src/core/model.js';
import type { StepContext } from '../../src/core/step.js';
import { loadKubeAccess } from '../../src/kube/access.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { apply } from '../../steps/apply.js';
import { wait } from '../../steps/wait.js';
import { closeCache, stepContext } from './context.js';

const INCOME = 'gs://seldon-models/scv2/samples/mlserver_1.3.5/income-sklearn/classifier';
const IRIS = 'gs://seldon-models/mlserver/iris';
const model = (name: string, uri: string, requirements = ['sklearn']) => ({
  apiVersion: 'mlops.seldon.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'seldon-mesh' },
  spec: { storageUri: uri, requirements },
});

const pipeline = (name: string, step: string) => ({
  apiVersion: 'mlops.seldon.io/v1alpha1',
  kind: 'Pipeline',
  metadata: { name, namespace: 'seldon-mesh' },
  spec: { steps: [{ name: step }], output: { steps: [step] } },
});

let sandbox: Sandbox;
let dir: string;
const caches: Map<string, unknown>[] = [];

/** A run's context on `kubeconfig`, which the run also names as KUBECONFIG, as `runbook run` does. */
function ctx(kubeconfig = sandbox.kubeconfigPath): StepContext {
  const cache = new Map<string, unknown>();
  caches.push(cache);
  return stepContext({ cwd: dir, vars: { KUBECONFIG: kubeconfig }, kube: () => loadKubeAccess({ kubeconfig }), deadline: Date.now() + 60_000, cache });
}

const waitFor = (extra: Partial<WaitArgs>): WaitArgs => ({
  for: { type: 'condition', condition: 'ready', value: 'true' },
  timeoutMs: 300_000,
  resource: 'model',
  names: [],
  all: false,
  namespace: 'seldon-mesh',
  ...extra,
});

async function applyAll(...objects: object[]) {
  const text = objects.map((o) => stringify(o)).join('---\n');
  expect(await apply.run({ source: { type: 'stdin', text }, serverSide: false }, ctx())).toMatchObject({ exitCode: 0 });
}

async function timed<T>(run: () => Promise<T>): Promise<{ out: T; ms: number }> {
  const started = Date.now();
  const out = await run();
  return { out, ms: Date.now() - started };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-wait-permanent-'));
  sandbox = await startSandbox({ loadDelayMs: 10, kubeconfig: path.join(dir, 'kubeconfig') });
});
afterAll(async () => {
  for (const cache of caches) await closeCache(cache);
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('kubectl wait on the sandbox', () => {
  it('ends at once for a model the sandbox cannot serve, with its state and reason, and no kubectl timeout message', async () => {
    await applyAll(model('income', INCOME));
    const { out, ms } = await timed(() => wait.run(waitFor({ names: ['income'] }), ctx()));
    expect(ms).toBeLessThan(10_000);
    expect(out).toMatchObject({ stdout: '', exitCode: 1 });
    expect(out.stderr).toBe(
      'runbook: not waiting for model.mlops.seldon.io/income (namespace seldon-mesh): it is ModelFailed, a state the sandbox never leaves by itself (see diagnostics)\n',
    );
    expect(out.diagnostics?.[0]).toMatch(/^model\.mlops\.seldon\.io\/income \(namespace seldon-mesh\) is ModelFailed: Failed to sync\/copy gs:\/\/seldon-models\/scv2\//);
    expect(out.diagnostics?.[0]).toContain('the sandbox cannot serve a trained artefact it does not have');
    expect(out.diagnostics?.[1]).toContain('rather than after its 300s timeout');
    // Nothing is left pending: the runner must not retry a wait that cannot succeed.
    expect(out.data).toEqual({ type: 'wait', met: [], pending: [] });
  });

  it('prints what kubectl printed before the hopeless object, in its order, then stops', async () => {
    await applyAll(model('a-iris', IRIS));
    expect(await wait.run(waitFor({ names: ['a-iris'] }), ctx())).toMatchObject({ stdout: 'model.mlops.seldon.io/a-iris condition met\n', exitCode: 0 });
    const { out, ms } = await timed(() => wait.run(waitFor({ names: ['a-iris', 'income'] }), ctx()));
    expect(ms).toBeLessThan(10_000);
    expect(out).toMatchObject({ stdout: 'model.mlops.seldon.io/a-iris condition met\n', exitCode: 1 });
    expect(out.stderr).toMatch(/^runbook: not waiting for model\.mlops\.seldon\.io\/income /);
    expect(out.data).toEqual({ type: 'wait', met: ['model.mlops.seldon.io/a-iris'], pending: [] });
  });

  it('ends at once for a pipeline whose step model the sandbox cannot serve; a pipeline of a model that loads is met', async () => {
    await applyAll(model('census', INCOME), pipeline('census-pipe', 'census'), model('p-iris', IRIS), pipeline('iris-pipe', 'p-iris'));
    const { out, ms } = await timed(() => wait.run(waitFor({ resource: 'pipeline', names: ['census-pipe'] }), ctx()));
    expect(ms).toBeLessThan(10_000);
    expect(out).toMatchObject({ stdout: '', exitCode: 1, data: { type: 'wait', met: [], pending: [] } });
    expect(out.stderr).toBe(
      'runbook: not waiting for pipeline.mlops.seldon.io/census-pipe (namespace seldon-mesh): it needs model.mlops.seldon.io/census (namespace seldon-mesh), which is ModelFailed, a state the sandbox never leaves by itself (see diagnostics)\n',
    );
    expect(out.diagnostics?.[0]).toBe('pipeline.mlops.seldon.io/census-pipe (namespace seldon-mesh) is PipelineCreating: waiting for models: census');
    expect(out.diagnostics?.[1]).toContain('the sandbox cannot serve a trained artefact it does not have');
    expect(await wait.run(waitFor({ resource: 'pipeline', names: ['iris-pipe'] }), ctx())).toMatchObject({
      stdout: 'pipeline.mlops.seldon.io/iris-pipe condition met\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('ends at once for an experiment one of whose candidate models the sandbox cannot serve', async () => {
    const experiment = {
      apiVersion: 'mlops.seldon.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name: 'ab', namespace: 'seldon-mesh' },
      spec: { candidates: [{ name: 'e-iris', weight: 50 }, { name: 'e-income', weight: 50 }] },
    };
    await applyAll(model('e-iris', IRIS), model('e-income', INCOME), experiment);
    const { out, ms } = await timed(() => wait.run(waitFor({ resource: 'experiment', names: ['ab'] }), ctx()));
    expect(ms).toBeLessThan(10_000);
    expect(out).toMatchObject({ stdout: '', exitCode: 1, data: { type: 'wait', met: [], pending: [] } });
    expect(out.stderr).toMatch(/^runbook: not waiting for experiment\.mlops\.seldon\.io\/ab \(namespace seldon-mesh\): it needs model\.mlops\.seldon\.io\/e-income \(namespace seldon-mesh\), which is ModelFailed/);
    expect(out.diagnostics?.[0]).toBe('experiment.mlops.seldon.io/ab (namespace seldon-mesh) is ExperimentNotActive: candidates not ready');
  });

  it('keeps waiting on ScheduleFailed, which a Server applied later heals', async () => {
    await applyAll(model('iris-gpu', IRIS, ['sklearn', 'gpu']));
    const started = Date.now();
    const waiting = wait.run(waitFor({ names: ['iris-gpu'], timeoutMs: 30_000 }), ctx());
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await applyAll({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Server', metadata: { name: 'mlserver-gpu', namespace: 'seldon-mesh' }, spec: { serverConfig: 'mlserver', extraCapabilities: ['gpu'] } });
    expect(await waiting).toMatchObject({ stdout: 'model.mlops.seldon.io/iris-gpu condition met\n', stderr: '', exitCode: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('a model re-applied with an artefact the sandbox has is waited for, not judged by its old failure', async () => {
    await applyAll(model('income', IRIS));
    expect(await wait.run(waitFor({ names: ['income'] }), ctx())).toMatchObject({ stdout: 'model.mlops.seldon.io/income condition met\n', exitCode: 0 });
  });

  it('against a kubeconfig that does not say it is a sandbox, waits for the timeout and says what kubectl says', async () => {
    await applyAll(model('adult', INCOME));
    const doc = parse(await readFile(sandbox.kubeconfigPath, 'utf8')) as { clusters: { cluster: { extensions: { name: string }[] } }[] };
    for (const c of doc.clusters) c.cluster.extensions = c.cluster.extensions.filter((e) => e.name !== SELDON_EXTENSION);
    const plain = path.join(dir, 'plain-kubeconfig');
    await writeFile(plain, stringify(doc));
    const { out, ms } = await timed(() => wait.run(waitFor({ names: ['adult'], timeoutMs: 2000 }), ctx(plain)));
    expect(ms).toBeGreaterThanOrEqual(2000);
    expect(out).toMatchObject({ stdout: '', stderr: 'error: timed out waiting for the condition on models/adult\n', exitCode: 1 });
    expect(out.diagnostics?.join('\n')).toContain('ModelReady=False (Failed to sync/copy gs://seldon-models/scv2/');
    expect(out.diagnostics?.join('\n')).toMatch(/: ModelFailed\)$/m);
    expect(out.data).toMatchObject({ pending: [{ object: 'models/adult' }] });
  });
});
