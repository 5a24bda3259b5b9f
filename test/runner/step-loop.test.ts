/** The step loop's rules: fail-fast, selection, skip directives and the workshop gate, run in-process. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { ArgsOf } from '../../src/core/model.js';
import { applied, deletedNames, md, ok, outcomes, planFrom, runPlan, runPlans, scriptedGate, type Call, type Event } from './harness.js';

const scripts = (calls: readonly Call[]) => calls.filter((c) => c.kind === 'shell').map((c) => (c.args as ArgsOf<'shell'>).script);

describe('fail-fast', () => {
  const plan = planFrom([md('echo one', 'one'), md('echo two', 'two'), md('echo three', 'three')].join('\n'));
  // The first step prints something else than its recording; the others print theirs.
  const shell = (args: ArgsOf<'shell'>) => ok(args.script === 'echo one' ? 'uno\n' : `${args.script.slice(5)}\n`);

  it('skips every step after the first failure, with the reason fail-fast', async () => {
    const run = await runPlan(plan, { fakes: { shell }, options: { failFast: true } });
    expect(outcomes(run.ended)).toEqual(['failed', 'skipped: fail-fast', 'skipped: fail-fast']);
    expect(scripts(run.calls)).toEqual(['echo one']);
  });

  it('without --fail-fast, runs the rest after a failure', async () => {
    const run = await runPlan(plan, { fakes: { shell } });
    expect(outcomes(run.ended)).toEqual(['failed', 'passed', 'passed']);
    expect(scripts(run.calls)).toEqual(['echo one', 'echo two', 'echo three']);
    expect(run.report.summary).toMatchObject({ passed: 2, failed: 1, skipped: 0 });
  });
});

describe('selection', () => {
  const plan = planFrom(
    [
      '# Setup\n',
      md('echo s0'),
      '```python\nX=!echo captured\nX=X[0]\nimport os\nos.environ["X"] = X\n```\n',
      '# Use the model\n',
      md('echo u2 $X'),
      md('echo u3'),
      '# Teardown\n',
      md('echo t4'),
      md('echo t5', undefined, 'skip'),
    ].join('\n'),
  );
  const fakes = { shell: () => ok(), capture: () => ({ ...ok(), vars: { X: 'captured' } }) };
  // X is given, so no capture is pulled in: these tests are about the selectors alone.
  const ran = async (options: { only?: string; from?: string; until?: string }) => {
    const run = await runPlan(plan, { fakes, options: { ...options, set: { X: 'given' } } });
    return run.ended.filter((r) => r.status !== 'skipped').map((r) => r.index);
  };

  it('--only takes an index, a range or heading text; the rest is skipped as not selected', async () => {
    expect(await ran({ only: '2' })).toEqual([2]);
    expect(await ran({ only: '1-3' })).toEqual([1, 2, 3]);
    expect(await ran({ only: 'use the' })).toEqual([2, 3]);
    const run = await runPlan(plan, { fakes, options: { only: '2', set: { X: 'given' } } });
    expect(outcomes(run.ended)).toEqual(['skipped: not selected', 'skipped: not selected', 'passed', 'skipped: not selected', 'skipped: not selected', 'skipped: not selected']);
  });

  it('--from and --until cut the plan at a step or the first/last step under a heading', async () => {
    expect(await ran({ from: 'use' })).toEqual([2, 3, 4]);
    expect(await ran({ until: 'use' })).toEqual([0, 1, 2, 3]);
    expect(await ran({ from: '1', until: '3' })).toEqual([1, 2, 3]);
    expect(await ran({ only: 'setup', from: '1' })).toEqual([1]);
  });

  it('a skip directive wins over a selection', async () => {
    const run = await runPlan(plan, { fakes, options: { from: 'teardown' } });
    expect(outcomes(run.ended).slice(4)).toEqual(['passed', 'skipped: skip directive']);
  });

  it('a selector that matches nothing is an input error, before any step runs', async () => {
    await expect(runPlan(plan, { fakes, options: { only: 'nowhere' } })).rejects.toBeInstanceOf(InputError);
    await expect(runPlan(plan, { fakes, options: { from: '99' } })).rejects.toThrow(/--from 99: no step with that index/);
  });

  it('pulls in the capture a selected step uses, says why, and leaves out what it does not need', async () => {
    const run = await runPlan(plan, { fakes, options: { only: '2' } });
    expect(run.calls.map((c) => c.kind)).toEqual(['capture', 'shell']);
    expect(run.calls.find((c) => c.kind === 'shell')?.vars.X).toBe('captured');
    expect(outcomes(run.ended)).toEqual(['skipped: not selected', 'passed', 'passed', 'skipped: not selected', 'skipped: not selected', 'skipped: not selected']);
    expect(run.ended[1]?.note).toBe('runs because step 2 uses X');
    const progress = run.events.filter((e) => e.hook === 'onStepProgress').map((e) => e.args.slice(1));
    expect(progress).toEqual([[1, 'runs because step 2 uses X']]);
    // A step that uses no variable pulls nothing in.
    expect((await runPlan(plan, { fakes, options: { only: '3' } })).calls.map((c) => c.kind)).toEqual(['shell']);
  });

  it('a variable the run is given (--set, environment, front matter) pulls nothing in', async () => {
    for (const given of [{ options: { only: '2', set: { X: 'set' } } }, { options: { only: '2' }, env: { X: 'env' } }]) {
      const run = await runPlan(plan, { fakes, ...given });
      expect(run.calls.map((c) => c.kind)).toEqual(['shell']);
    }
    const front = planFrom(`---\nenv:\n  X: front\n---\n\n${'```python\nX=!echo captured\nX=X[0]\n```\n'}\n${md('echo $X')}`);
    expect((await runPlan(front, { fakes, options: { only: '1' } })).calls.map((c) => c.kind)).toEqual(['shell']);
  });

  it('pulls in dependencies transitively: a capture that uses another capture', async () => {
    const chain = planFrom(
      [
        '```python\nA=!echo a\nA=A[0]\n```\n',
        '```python\nB=!echo ${A}b\nB=B[0]\n```\n',
        md('echo unrelated'),
        '# Use\n',
        md('curl -s http://${B}/'),
      ].join('\n'),
    );
    const run = await runPlan(chain, { fakes: { capture: (args) => ({ ...ok(), vars: { [args.variable]: 'v' } }), shell: () => ok(), curl: () => ok() }, options: { from: 'use' } });
    expect(run.calls.map((c) => c.kind)).toEqual(['capture', 'capture', 'curl']);
    expect(run.ended.map((r) => r.note)).toEqual(['runs because step 1 uses A', 'runs because step 3 uses B', undefined, undefined]);
  });

  it('selectors that together leave no step are an input error naming each, before any step runs', async () => {
    const calls: Call[] = [];
    const run = runPlan(plan, { fakes, calls, options: { only: '3', from: '5' } });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(runPlan(plan, { fakes, options: { only: '3', from: '5' } })).rejects.toThrow(
      /the selection leaves no step to run \(--only 3 picks step 3; --from 5 starts at step 5\)/,
    );
    await expect(runPlan(plan, { fakes, options: { only: '99' } })).rejects.toThrow(/--only 99: no step with that index/);
    expect(calls).toEqual([]);
  });

  it('with several runbooks, a selection that picks nothing in a later one stops the run before the first runs', async () => {
    const events: Event[] = [];
    const calls: Call[] = [];
    const short = planFrom(md('echo only'), '/tmp/runbook-harness/short.md');
    await expect(runPlans([plan, short], { fakes, events, calls, options: { from: '3' } })).rejects.toThrow(/--from 3: no step with that index/);
    expect(calls).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('the workshop gate', () => {
  const plan = planFrom([md('kubectl apply -f a.yaml'), md('echo one'), md('echo two')].join('\n'));
  const fakes = { apply: () => applied('a'), shell: () => ok(), delete: () => ok() };

  it('skip: the step does not run and is reported skipped by the presenter; the next one runs', async () => {
    const gate = scriptedGate({ before: { 1: ['skip'] } });
    const run = await runPlan(plan, { fakes, options: { gate } });
    expect(outcomes(run.ended)).toEqual(['passed', 'skipped: skipped by presenter', 'passed']);
    expect(scripts(run.calls)).toEqual(['echo two']);
    expect(deletedNames(run.calls)).toEqual([]);
  });

  it('quit before a step: it and the rest are skipped as quit, and what the run created is cleaned up', async () => {
    const gate = scriptedGate({ before: { 1: ['quit'] } });
    const run = await runPlan(plan, { fakes, options: { gate } });
    expect(outcomes(run.ended)).toEqual(['passed', 'skipped: quit', 'skipped: quit']);
    expect(scripts(run.calls)).toEqual([]);
    expect(deletedNames(run.calls)).toEqual(['a']);
    // The remaining steps are not offered to the presenter again.
    expect(gate.seen).toEqual(['before 0', 'after 0 passed', 'before 1']);
  });

  it('quit after a step: the rest are skipped and cleanup runs', async () => {
    const gate = scriptedGate({ after: { 0: ['quit'] } });
    const run = await runPlan(plan, { fakes, options: { gate } });
    expect(outcomes(run.ended)).toEqual(['passed', 'skipped: quit', 'skipped: quit']);
    expect(deletedNames(run.calls)).toEqual(['a']);
  });

  it('quit in one runbook of several: the later runbooks do not start (no sandbox lease, no report)', async () => {
    const gate = scriptedGate({ after: { 0: ['quit'] } });
    const leased: string[] = [];
    const second = planFrom(md('echo later'), '/tmp/runbook-harness/second.md');
    const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'runbook-quit-')), 'kubeconfig');
    writeFileSync(kubeconfig, '');
    const run = await runPlans([plan, second], {
      fakes,
      options: { gate },
      provideTarget: async (p) => {
        leased.push(p.file);
        return { kubeconfig, connectTo: [], release: async () => undefined };
      },
    });
    expect(leased).toEqual([plan.file]);
    expect(run.report.runbooks.map((r) => r.file)).toEqual([plan.file]);
    expect(run.report.runbooks[0]?.quit).toBe(true);
  });

  it('rerun runs the step again, and only the last run counts', async () => {
    const gate = scriptedGate({ after: { 1: ['rerun', 'rerun'] } });
    let n = 0;
    const run = await runPlan(plan, { fakes: { ...fakes, shell: (args) => ok(args.script === 'echo one' ? `${++n}\n` : '') }, options: { gate } });
    expect(scripts(run.calls)).toEqual(['echo one', 'echo one', 'echo one', 'echo two']);
    expect(run.ended.filter((r) => r.index === 1).map((r) => r.actual)).toEqual(['1', '2', '3']);
    expect(run.report.runbooks[0]?.steps.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(run.report.runbooks[0]?.steps[1]?.actual).toBe('3');
    expect(gate.seen).toEqual(['before 0', 'after 0 passed', 'before 1', 'after 1 passed', 'after 1 passed', 'after 1 passed', 'before 2', 'after 2 passed']);
  });
});
