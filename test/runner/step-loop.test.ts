/** The step loop's rules: fail-fast, selection, skip directives and the workshop gate, run in-process. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { ArgsOf } from '../../src/core/model.js';
import { applied, deletedNames, md, ok, outcomes, planFrom, runPlan, scriptedGate, type Call } from './harness.js';

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
  const ran = async (options: { only?: string; from?: string; until?: string }) => {
    const run = await runPlan(plan, { fakes, options });
    return run.ended.filter((r) => r.status !== 'skipped').map((r) => r.index);
  };

  it('--only takes an index, a range or heading text; the rest is skipped as not selected', async () => {
    expect(await ran({ only: '2' })).toEqual([2]);
    expect(await ran({ only: '1-3' })).toEqual([1, 2, 3]);
    expect(await ran({ only: 'use the' })).toEqual([2, 3]);
    const run = await runPlan(plan, { fakes, options: { only: '2' } });
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

  it('does not pull in the steps a selected step depends on: --only 2 runs without the capture of step 1', async () => {
    // Dependency selection is not built (yet): the step runs with what the environment and --set give it.
    const run = await runPlan(plan, { fakes, options: { only: '2' } });
    const call = run.calls.find((c) => c.kind === 'shell');
    expect(call?.vars.X).toBeUndefined();
    expect(run.calls.map((c) => c.kind)).toEqual(['shell']);
    const withCapture = await runPlan(plan, { fakes, options: { only: '1-2' } });
    expect(withCapture.calls.find((c) => c.kind === 'shell')?.vars.X).toBe('captured');
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
