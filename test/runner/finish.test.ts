/**
 * The finish: what a failed, interrupted or quit run created is deleted, newest first, and nothing else; resources
 * close and the temporary kubeconfig goes even when the loop throws; --update writes redacted outputs, and only
 * when something differs.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CleanupReport, Reporter } from '../../src/core/events.js';
import { applied, deletedNames, md, ok, planFrom, runPlan, scriptedGate, type Call, type Event } from './harness.js';

const plan = planFrom(
  [md('kubectl apply -f first.yaml'), md('kubectl apply -f second.yaml'), md('kubectl delete configmap b'), md('echo check', 'ok')].join('\n'),
);
/** First apply creates a and b, the second c; the runbook deletes b itself; `check` fails unless told to pass. */
function fakes(check: 'pass' | 'fail' | 'throw' = 'fail') {
  return {
    apply: (_args: unknown, _ctx: unknown, call: number) => (call === 1 ? applied('a', 'b') : applied('c')),
    // Only the runbook's own delete names b (cleanup never does: the runbook deleted it).
    delete: (args: { target: { type: string; names?: string[] } }) =>
      args.target.type === 'names' && args.target.names?.join() === 'b'
        ? { ...ok('configmap "b" deleted'), data: { type: 'objects' as const, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'b', outcome: 'deleted' }] } }
        : ok(),
    shell: () => {
      if (check === 'throw') throw new Error('the step broke');
      return ok(check === 'pass' ? 'ok\n' : 'not ok\n');
    },
  };
}
// The runbook's own delete step runs before the check; every delete after the check is cleanup's.
const cleanupDeletes = (calls: readonly Call[]) => deletedNames(calls.slice(calls.findIndex((c) => c.kind === 'shell') + 1));
const cleanups = (events: readonly Event[]) => events.filter((e) => e.hook === 'onCleanup').map((e) => e.args[1] as CleanupReport);

describe('cleanup', () => {
  it('after a failure deletes what apply steps created, newest first, except what the runbook deleted itself', async () => {
    const run = await runPlan(plan, { fakes: fakes('fail') });
    expect(cleanupDeletes(run.calls)).toEqual(['c', 'a']);
    expect(cleanups(run.events)).toEqual([{ disabled: false, deleted: 2, left: [] }]);
    expect(run.report.runbooks[0]?.cleanup).toEqual({ disabled: false, deleted: 2, left: [] });
  });

  it('does nothing after a run that passed', async () => {
    const run = await runPlan(plan, { fakes: fakes('pass') });
    expect(cleanupDeletes(run.calls)).toEqual([]);
    expect(cleanups(run.events)).toEqual([]);
    expect(run.report.runbooks[0]?.status).toBe('passed');
  });

  it('with --no-cleanup deletes nothing, lists what it left (newest first) and the command that deletes it', async () => {
    const run = await runPlan(plan, { fakes: fakes('fail'), options: { cleanup: false } });
    expect(cleanupDeletes(run.calls)).toEqual([]);
    expect(cleanups(run.events)).toEqual([
      {
        disabled: true,
        deleted: 0,
        left: [
          { object: 'configmap/c -n default', reason: '--no-cleanup' },
          { object: 'configmap/a -n default', reason: '--no-cleanup' },
        ],
        deleteCommand: 'kubectl delete -n default configmap/c configmap/a',
      },
    ]);
  });

  it('the delete command groups objects per namespace, names grouped kinds fully, and uses the run\'s cluster', async () => {
    const plan = planFrom([md('kubectl apply -f x.yaml'), md('echo check', 'ok')].join('\n'));
    const model = { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', namespace: 'seldon-mesh' };
    // Given relative, the kubeconfig appears absolute: the command works from any folder.
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-harness-kube-'));
    writeFileSync(path.join(dir, 'config'), 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const relative = path.relative(process.cwd(), path.join(dir, 'config'));
    const run = await runPlan(plan, {
      options: { cleanup: false, context: 'kind-seldon', kubeconfig: relative },
      fakes: {
        apply: () =>
          applied(
            { ...model, name: 'iris' },
            { apiVersion: 'v1', kind: 'Namespace', namespace: undefined, name: 'extra' },
            { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', namespace: 'seldon-mesh', name: 'iris' },
            { ...model, name: 'old', outcome: 'unchanged' },
            { ...model, namespace: "it's", name: 'x' },
          ),
        shell: () => ok('no\n'),
      },
    });
    expect(run.report.runbooks[0]?.error).toBeUndefined();
    const kube = `--kubeconfig ${path.join(dir, 'config')} --context kind-seldon`;
    expect(cleanups(run.events)[0]?.deleteCommand).toBe(
      [
        `kubectl ${kube} delete -n 'it'\\''s' model.mlops.seldon.io/x`,
        `kubectl ${kube} delete -n seldon-mesh virtualservice.networking.istio.io/iris model.mlops.seldon.io/iris`,
        `kubectl ${kube} delete namespace/extra`,
      ].join('; '),
    );
    expect(cleanups(run.events)[0]?.left.map((l) => l.object)).toEqual([
      "model.mlops.seldon.io/x -n it's",
      'virtualservice.networking.istio.io/iris -n seldon-mesh',
      'namespace/extra',
      'model.mlops.seldon.io/iris -n seldon-mesh',
    ]);
  });

  it('names no kubeconfig of a sandbox, which is gone with it', async () => {
    const run = await runPlan(plan, {
      fakes: fakes('fail'),
      options: { cleanup: false },
      provideTarget: async () => ({ kubeconfig: '/tmp/runbook-sandbox-gone/kubeconfig', connectTo: [], release: async () => undefined }),
    });
    expect(cleanups(run.events)[0]?.deleteCommand).toBe('kubectl delete -n default configmap/c configmap/a');
  });

  it('a second interrupt cuts cleanup short: what remains is listed as interrupted, with its delete command', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const run = await runPlan(plan, {
      signal: first.signal,
      cleanupSignal: second.signal,
      fakes: {
        ...fakes(),
        shell: () => {
          first.abort(new Error('interrupted (SIGINT)'));
          return ok('not ok\n');
        },
        // The user presses Ctrl-C again while cleanup deletes c: that delete is cut short, a is never tried.
        delete: (args, ctx) => {
          if (args.target.type === 'names' && args.target.names.join() === 'c') {
            second.abort();
            return { stdout: '', stderr: ctx.signal.aborted ? 'request aborted' : '', exitCode: ctx.signal.aborted ? 1 : 0 };
          }
          return fakes().delete(args);
        },
      },
    });
    expect(cleanupDeletes(run.calls)).toEqual(['c']);
    expect(cleanups(run.events)).toEqual([
      {
        disabled: false,
        deleted: 0,
        left: [
          { object: 'configmap/c -n default', reason: 'interrupted' },
          { object: 'configmap/a -n default', reason: 'interrupted' },
        ],
        deleteCommand: 'kubectl delete -n default configmap/c configmap/a',
      },
    ]);
  });

  it('an object cleanup could not delete is left with the reason', async () => {
    const run = await runPlan(plan, {
      fakes: { ...fakes(), delete: (args) => (args.target.type === 'names' && args.target.names.join() === 'a' ? { stdout: '', stderr: 'Error from server (Forbidden)\n', exitCode: 1 } : fakes().delete(args)) },
    });
    expect(cleanups(run.events)).toEqual([
      { disabled: false, deleted: 1, left: [{ object: 'configmap/a -n default', reason: 'Error from server (Forbidden)' }], deleteCommand: 'kubectl delete -n default configmap/a' },
    ]);
  });

  it('after an interrupt deletes what was created, newest first', async () => {
    const controller = new AbortController();
    const run = await runPlan(plan, {
      signal: controller.signal,
      fakes: {
        ...fakes(),
        delete: () => {
          // Interrupted while the runbook's own delete runs: b is still there, and the check never runs.
          controller.abort(new Error('interrupted (SIGINT)'));
          return ok();
        },
      },
    });
    expect(run.report.interrupted).toBe(true);
    expect(run.calls.some((c) => c.kind === 'shell')).toBe(false);
    expect(deletedNames(run.calls).slice(1)).toEqual(['c', 'b', 'a']);
  });

  it('leaves alone objects that existed before the run (configured, unchanged)', async () => {
    const plan = planFrom([md('kubectl apply -f x.yaml'), md('echo check', 'ok')].join('\n'));
    const run = await runPlan(plan, {
      fakes: { apply: () => applied({ name: 'old', outcome: 'configured' }, 'new', { name: 'same', outcome: 'unchanged' }), delete: () => ok(), shell: () => ok('no\n') },
    });
    expect(deletedNames(run.calls)).toEqual(['new']);
  });

  it('still runs when a reporter throws, and the error is reported at the end', async () => {
    const calls: Call[] = [];
    const throwing: Reporter = {
      onStepEnd: () => {
        throw new Error('reporter broke');
      },
    };
    await expect(runPlan(plan, { fakes: fakes('fail'), reporters: [throwing], calls })).rejects.toThrow('reporter broke');
    expect(cleanupDeletes(calls)).toEqual(['c', 'a']);
  });

  it('still runs when a step throws: the step fails with its error', async () => {
    const run = await runPlan(plan, { fakes: fakes('throw') });
    expect(run.ended[3]).toMatchObject({ status: 'failed', error: 'the step broke' });
    expect(cleanupDeletes(run.calls)).toEqual(['c', 'a']);
  });

  it('still runs, with the temporary kubeconfig removed and resources closed, when the loop itself throws', async () => {
    const calls: Call[] = [];
    const events: Event[] = [];
    const gate = scriptedGate({});
    gate.before = async (_file, step) => {
      if (step.index === 3) throw new Error('the terminal went away');
      return 'run';
    };
    let kubeconfig = '';
    const closed: string[] = [];
    const run = runPlan(plan, {
      calls,
      events,
      options: { gate, context: 'ctx' },
      fakes: {
        ...fakes(),
        apply: (_args, ctx, call) => {
          kubeconfig = (ctx.vars.KUBECONFIG ?? '').split(path.delimiter)[0] ?? '';
          ctx.cache.set('pool', { close: () => closed.push('pool') });
          return call === 1 ? applied('a', 'b') : applied('c');
        },
      },
    });
    await expect(run).rejects.toThrow('the terminal went away');
    expect(deletedNames(calls)).toEqual(['b', 'c', 'a']);
    expect(cleanups(events)).toHaveLength(1);
    expect(closed).toEqual(['pool']);
    expect(kubeconfig).toMatch(/runbook-context-/);
    expect(existsSync(kubeconfig)).toBe(false);
  });
});

describe('--update', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-harness-update-'));
  const text = [md('echo token', 'old token'), md('echo fine', 'fine')].join('\n');

  it('hands the outputs that differ to the updater with secrets redacted', async () => {
    const file = path.join(dir, 'drifted.md');
    writeFileSync(file, text);
    const run = await runPlan(planFrom(text, file), {
      options: { update: true, set: { API_TOKEN: 'sekrit-value-1' } },
      fakes: { shell: (args) => ok(args.script === 'echo token' ? 'token sekrit-value-1\n' : 'fine\n') },
    });
    expect(run.report.runbooks[0]?.updated).toEqual([0]);
    const after = readFileSync(file, 'utf8');
    expect(after).not.toContain('sekrit-value-1');
    expect(after).toBe(text.replace('old token', 'token [REDACTED]'));
  });

  it('marks a rewritten difference `updated`, which passes the runbook; a step that could not run still fails it', async () => {
    const file = path.join(dir, 'statuses.md');
    writeFileSync(file, text);
    const run = await runPlan(planFrom(text, file), {
      options: { update: true },
      fakes: { shell: (args) => (args.script === 'echo token' ? ok('new token\n') : ok('fine\n')) },
    });
    const [runbook] = run.report.runbooks;
    expect(runbook?.steps.map((s) => s.status)).toEqual(['updated', 'passed']);
    expect(runbook?.status).toBe('passed');
    expect(run.report.summary).toMatchObject({ passed: 1, updated: 1, failed: 0 });

    writeFileSync(file, text);
    const broken = await runPlan(planFrom(text, file), {
      options: { update: true },
      fakes: {
        shell: (args) => {
          if (args.script === 'echo token') throw new Error('bash: cannot start');
          return ok('fine\n');
        },
      },
    });
    expect(broken.report.runbooks[0]?.steps.map((s) => s.status)).toEqual(['failed', 'passed']);
    expect(broken.report.runbooks[0]?.status).toBe('failed');
  });

  it('writes nothing when every output matched', async () => {
    const file = path.join(dir, 'matching.md');
    writeFileSync(file, text);
    const before = statSync(file);
    const run = await runPlan(planFrom(text, file), {
      options: { update: true },
      fakes: { shell: (args) => ok(args.script === 'echo token' ? 'old token\n' : 'fine\n') },
    });
    expect(run.report.runbooks[0]?.updated).toBeUndefined();
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('without --update leaves a drifted runbook as it is', async () => {
    const file = path.join(dir, 'kept.md');
    writeFileSync(file, text);
    const run = await runPlan(planFrom(text, file), { fakes: { shell: () => ok('other\n') } });
    expect(run.report.runbooks[0]?.updated).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
