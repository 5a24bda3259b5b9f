/**
 * A cell is the unit of comparison: each command of a multi-command cell runs as its own step, and the cell's one
 * recording is compared with what they printed, by command when the recording splits with certainty, else whole.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applied, ok, outcomes, planFrom, runPlan } from './harness.js';

const fence = (commands: string[], output: string[]) => ['```sh', ...commands, '```', '', '```output', ...output, '```', ''].join('\n');

const applyAndWait = (waitLine: string) =>
  fence(['kubectl apply -f a.yaml', 'kubectl wait --for condition=ready model/a'], ['configmap/a created', waitLine]);

const waited = ok('model.mlops.seldon.io/a condition met');

describe('a cell of several commands', () => {
  it('runs each command as its own typed step, in one cell', () => {
    const plan = planFrom(applyAndWait('model.mlops.seldon.io/a condition met'));
    expect(plan.steps.map((s) => [s.kind, s.cell])).toEqual([
      ['apply', { index: 0, first: 0, last: 1 }],
      ['wait', { index: 0, first: 0, last: 1 }],
    ]);
    // The recording is the cell's, held by its last step.
    expect(plan.steps[0]!.expected).toBeUndefined();
    expect(plan.steps[1]!.expected?.text).toBe('configmap/a created\nmodel.mlops.seldon.io/a condition met');
  });

  it('passes when each command printed its part of the recording', async () => {
    const { ended } = await runPlan(planFrom(applyAndWait('model.mlops.seldon.io/a condition met')), { fakes: { apply: () => applied('a'), wait: () => waited } });
    expect(outcomes(ended)).toEqual(['passed', 'passed']);
    expect(ended.map((r) => r.expected)).toEqual(['configmap/a created', 'model.mlops.seldon.io/a condition met']);
  });

  it('names the failing command and its recorded line when the recording splits by command', async () => {
    const markdown = applyAndWait('model.mlops.seldon.io/b condition met');
    const { ended } = await runPlan(planFrom(markdown), { fakes: { apply: () => applied('a'), wait: () => waited } });
    expect(outcomes(ended)).toEqual(['passed', 'failed']);
    expect(ended.map((r) => r.cell)).toEqual([
      { index: 0, command: 1, commands: 2 },
      { index: 0, command: 2, commands: 2 },
    ]);
    expect(ended[1]!.diff).toMatch(/model\.mlops\.seldon\.io\/b/);
    // The wait's recorded line, not the apply's.
    expect(ended[1]!.failureLine).toBe(markdown.split('\n').indexOf('model.mlops.seldon.io/b condition met') + 1);
  });

  it('fails the right command when the first one differs', async () => {
    const markdown = fence(['kubectl apply -f a.yaml', 'kubectl wait --for condition=ready model/a'], ['configmap/z created', 'model.mlops.seldon.io/a condition met']);
    const { ended } = await runPlan(planFrom(markdown), { fakes: { apply: () => applied('a'), wait: () => waited } });
    expect(outcomes(ended)).toEqual(['failed', 'passed']);
    expect(ended[0]!.failureLine).toBe(markdown.split('\n').indexOf('configmap/z created') + 1);
  });

  it('splits `{}` `{}` by command: two seldon loads that each printed {} pass', async () => {
    const plan = planFrom(fence(['seldon model load -f a.yaml', 'seldon model load -f b.yaml'], ['{}', '{}']));
    expect(plan.steps.map((s) => s.kind)).toEqual(['seldon', 'seldon']);
    const { ended } = await runPlan(plan, { fakes: { seldon: () => ok('{}\n') } });
    expect(outcomes(ended)).toEqual(['passed', 'passed']);
  });

  it('compares the whole cell when its output cannot be split, and reports the cell on its last step', async () => {
    const plan = planFrom(fence(['echo a', 'echo b'], ['a', 'b']));
    const pass = await runPlan(plan, { fakes: { shell: (args) => ok(`${args.script.slice(5)}\n`) } });
    expect(outcomes(pass.ended)).toEqual(['passed', 'passed']);
    expect(pass.ended[1]!.actual).toBe('a\nb');

    const fail = await runPlan(plan, { fakes: { shell: (args) => ok(args.script === 'echo a' ? 'a\n' : 'c\n') } });
    expect(outcomes(fail.ended)).toEqual(['passed', 'failed']);
    expect(fail.ended[1]!.expected).toBe('a\nb');
    expect(fail.ended[1]!.actual).toBe('a\nc');
    expect(fail.ended[1]!.note).toMatch(/cell 0: its 2 commands compared together/);
  });

  it('fails a step of a whole-compared cell that exits non-zero', async () => {
    const plan = planFrom(fence(['false', 'echo b'], ['b']));
    const { ended } = await runPlan(plan, { fakes: { shell: (args) => (args.script === 'false' ? { stdout: '', stderr: '', exitCode: 1 } : ok('b\n')) } });
    expect(outcomes(ended)).toEqual(['failed', 'passed']);
  });

  it('judges the last step of a cell whose other commands did not run by its exit status, saying why', async () => {
    const plan = planFrom(fence(['echo a', 'echo b'], ['a', 'b']));
    const { ended } = await runPlan(plan, { options: { only: '1' }, fakes: { shell: () => ok('b\n') } });
    expect(outcomes(ended)).toEqual(['skipped: not selected', 'passed']);
    expect(ended[1]!.note).toMatch(/cell 0: not compared with its recording, since command 1 of it did not run/);
    // A Python step the machine cannot run (no python3) is skipped the same way.
    const mixed = planFrom(['```python', 'print("a")', '!echo b', '```', '', '    a', '    b', ''].join('\n'));
    const run = await runPlan(mixed, { fakes: { python: () => ({ ...ok(), skipped: 'python3 not found' }), shell: () => ok('b\n') } });
    expect(outcomes(run.ended)).toEqual(['skipped: python3 not found', 'passed']);
    expect(run.ended[1]!.note).toMatch(/since command 1 of it did not run/);
  });

  it('--update rewrites the cell block once, with what all its commands printed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-cells-'));
    const file = path.join(dir, 'cell.md');
    const markdown = `# Cell\n\n${fence(['echo a', 'echo b'], ['old'])}\nafter\n`;
    writeFileSync(file, markdown);
    const { report } = await runPlan(planFrom(markdown, file), { options: { update: true }, fakes: { shell: (args) => ok(`${args.script.slice(5)}\n`) } });
    expect(report.runbooks[0]!.updated).toEqual([1]);
    expect(readFileSync(file, 'utf8')).toBe(`# Cell\n\n${fence(['echo a', 'echo b'], ['a', 'b'])}\nafter\n`);
  });

  it('--update rewrites a notebook cell of several commands once, as one stream of both outputs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-cells-'));
    const file = path.join(dir, 'cell.ipynb');
    const cell = { cell_type: 'code', execution_count: null, metadata: {}, source: ['!echo a\n', '!echo b'], outputs: [{ name: 'stdout', output_type: 'stream', text: ['old\n'] }] };
    const text = JSON.stringify({ cells: [cell], metadata: {}, nbformat: 4, nbformat_minor: 4 }, null, 1);
    writeFileSync(file, text);
    const { report } = await runPlan(planFrom(text, file), { options: { update: true }, fakes: { shell: (args) => ok(`${args.script.slice(5)}\n`) } });
    expect(report.runbooks[0]!.updated).toEqual([1]);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { cells: { outputs: { text: string[] }[] }[] };
    expect(written.cells[0]!.outputs.map((o) => o.text.join(''))).toEqual(['a\nb\n']);
  });
});
