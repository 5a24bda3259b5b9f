import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { apply } from '../../steps/apply.js';
import { wait } from '../../steps/wait.js';
import type { WaitArgs } from '../../src/core/model.js';
import { startHarness, type Harness } from '../kube/harness.js';

const model = (name: string, uri = 'gs://seldon-models/mlserver/iris', ns = 'seldon-mesh') => `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  storageUri: ${uri}
`;

const waitArgs = (extra: Partial<WaitArgs>): WaitArgs => ({
  for: { type: 'condition', condition: 'ready', value: 'true' },
  timeoutMs: 10_000,
  resource: 'model',
  names: [],
  all: false,
  namespace: 'seldon-mesh',
  ...extra,
});

async function applyText(h: Harness, text: string) {
  const out = await apply.run({ source: { type: 'stdin', text }, serverSide: false }, h.ctx());
  expect(out.exitCode).toBe(0);
}

needs('kubectl 1.32').describe('wait against kubectl', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('waits for every model like kubectl wait --all, and kubectl agrees', async () => {
    await applyText(h, `${model('iris1')}---\n${model('iris2')}`);
    const native = await wait.run(waitArgs({ all: true }), h.ctx());
    expect(native).toMatchObject({ stdout: 'model.mlops.seldon.io/iris1 condition met\nmodel.mlops.seldon.io/iris2 condition met\n', stderr: '', exitCode: 0 });
    expect(native.data).toEqual({ type: 'wait', met: ['model.mlops.seldon.io/iris1', 'model.mlops.seldon.io/iris2'], pending: [] });
    const real = await h.kubectl(['wait', '--for', 'condition=ready', '--timeout=10s', 'model', '--all', '-n', 'seldon-mesh']);
    expect(real).toEqual({ stdout: native.stdout, stderr: '', exitCode: 0 });
  });

  it('matches the condition type whole: ModelReady is not Ready', async () => {
    const args = waitArgs({ names: ['iris1'], for: { type: 'condition', condition: 'odelready', value: 'true' }, timeoutMs: 0 });
    const native = await wait.run(args, h.ctx());
    const real = await h.kubectl(['wait', '--for', 'condition=odelready', '--timeout=0', 'model', 'iris1', '-n', 'seldon-mesh']);
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode });
    expect(native.stderr).toBe('error: condition not met for models/iris1\n');
  });

  it('times out on a model that cannot load, with kubectl message, conditions and events', async () => {
    await applyText(h, model('broken', 'gs://unknown/model'));
    const started = Date.now();
    const native = await wait.run(waitArgs({ names: ['broken'], timeoutMs: 800 }), h.ctx());
    expect(Date.now() - started).toBeLessThan(2500);
    const real = await h.kubectl(['wait', '--for=condition=Ready', '--timeout=800ms', 'models', 'broken', '-n', 'seldon-mesh']);
    expect(real.stderr).toBe('error: timed out waiting for the condition on models/broken\n');
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: 1 });
    // Seldon's operator writes the scheduler's reason text as the condition's reason and the state as its message.
    expect(native.diagnostics?.join('\n')).toMatch(/Ready=False \(unknown storage URI gs:\/\/unknown\/model: ModelFailed\)/);
    expect(native.diagnostics?.join('\n')).toMatch(/Warning {2}ModelFailed {2}unknown storage URI/);
    expect(native.data).toMatchObject({ type: 'wait', met: [], pending: [{ object: 'models/broken' }] });
  });

  it('reports a missing object and an empty selection like kubectl', async () => {
    for (const [args, argv] of [
      [waitArgs({ names: ['nope'] }), ['wait', '--for=condition=ready', 'model', 'nope', '-n', 'seldon-mesh']],
      [waitArgs({ all: true, namespace: 'default' }), ['wait', '--for=condition=ready', 'model', '--all', '-n', 'default']],
      [waitArgs({ resource: 'widgets', all: true }), ['wait', '--for=condition=ready', 'widgets', '--all', '-n', 'default']],
    ] as const) {
      const native = await wait.run(args, h.ctx());
      const real = await h.kubectl([...argv]);
      expect({ ...native, data: undefined }).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode });
      expect(native.exitCode).toBe(1);
    }
  });

  it('goes on past a missing object and reports every error at the end, like kubectl', async () => {
    const native = await wait.run(waitArgs({ names: ['iris1', 'missing', 'iris2'] }), h.ctx());
    const real = await h.kubectl(['wait', '--for=condition=ready', 'model', 'iris1', 'missing', 'iris2', '-n', 'seldon-mesh']);
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode });
    expect(native.stdout).toBe('model.mlops.seldon.io/iris1 condition met\nmodel.mlops.seldon.io/iris2 condition met\n');
  });

  it('times out every object after the first timeout, even ready ones, like kubectl', async () => {
    await applyText(h, model('broken2', 'gs://unknown/other'));
    const names = ['broken', 'missing', 'iris1', 'broken2'];
    const native = await wait.run(waitArgs({ names, timeoutMs: 500 }), h.ctx());
    const real = await h.kubectl(['wait', '--for=condition=ready', '--timeout=500ms', 'model', ...names, '-n', 'seldon-mesh']);
    expect(real.stderr.split('\n')).toHaveLength(5);
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: 1 });
    expect(native.data).toMatchObject({ met: [], pending: [{ object: 'models/broken' }, { object: 'models/iris1' }, { object: 'models/broken2' }] });
  });

  it('waits for deletion and for a jsonpath value, like kubectl', async () => {
    await applyText(h, model('gone'));
    const jp = waitArgs({ names: ['gone'], for: { type: 'jsonpath', path: '{.status.availableReplicas}', value: '1' } });
    const native = await wait.run(jp, h.ctx());
    const real = await h.kubectl(['wait', "--for=jsonpath={.status.availableReplicas}=1", 'model/gone', '-n', 'seldon-mesh']);
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: 0 });
    expect(native.stdout).toBe('model.mlops.seldon.io/gone condition met\n');

    const pending = wait.run(waitArgs({ names: ['gone'], for: { type: 'delete' } }), h.ctx());
    await new Promise((r) => setTimeout(r, 100));
    expect((await h.kubectl(['delete', 'model', 'gone', '-n', 'seldon-mesh', '--wait=false'])).exitCode).toBe(0);
    expect(await pending).toMatchObject({ stdout: 'model.mlops.seldon.io/gone condition met\n', exitCode: 0 });
    const realGone = await h.kubectl(['wait', '--for=delete', 'model/gone', '-n', 'seldon-mesh']);
    const nativeGone = await wait.run(waitArgs({ names: ['gone'], for: { type: 'delete' } }), h.ctx());
    expect(nativeGone).toMatchObject({ stdout: realGone.stdout, stderr: realGone.stderr, exitCode: realGone.exitCode });
  });
});

describe('wait through faults', () => {
  let h: Harness;
  beforeAll(async () => {
    // Watches end every 60 ms and only 3 changes are kept to resume from, so re-watches also meet 410 Expired.
    h = await startHarness({ faultWatchDropMs: 60, loadDelayMs: 400 }, { historyLimit: 3 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('survives dropped watches and 410 Expired without missing the transition', async () => {
    await applyText(h, model('flaky'));
    const started = Date.now();
    const pending = wait.run(waitArgs({ names: ['flaky'] }), h.ctx());
    // Churn: unrelated changes push the wait's resourceVersion out of the server's history.
    for (let i = 0; i < 12; i++) {
      await applyText(h, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: churn, namespace: default}\ndata: {i: "${i}"}\n`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const native = await pending;
    expect(native).toMatchObject({ stdout: 'model.mlops.seldon.io/flaky condition met\n', exitCode: 0 });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('wait progress', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('says which object it still waits for and why, once per new state', async () => {
    await applyText(h, model('loads'));
    await applyText(h, model('never', 'gs://unknown/x'));
    const messages: string[] = [];
    const out = await wait.run(waitArgs({ names: ['loads', 'never'], timeoutMs: 1500 }), { ...h.ctx(), progress: (m) => messages.push(m) });
    expect(out.exitCode).toBe(1);
    const never = messages.filter((m) => m.startsWith('waiting for model.mlops.seldon.io/never: '));
    expect(never.length).toBeGreaterThan(0);
    // Possibly `no conditions` first (before the controller has looked at it), then the False condition.
    expect(never.some((m) => /^waiting for model\.mlops\.seldon\.io\/never: \w+=False/.test(m))).toBe(true);
    expect(new Set(never).size).toBe(never.length);
  });
});
