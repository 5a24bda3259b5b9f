/**
 * Redaction happens once, where events fan out: a reporter with no redaction code of its own (the harness's
 * recording reporter) gets every string redacted, with the secrets known at that moment.
 */
import { describe, expect, it } from 'vitest';
import type { StepGate, StepReport } from '../../src/core/events.js';
import type { Step } from '../../src/core/model.js';
import { fanOut } from '../../src/runner/fanout.js';
import { md, ok, planFrom, recordingReporter, runPlan, type Event } from './harness.js';

const TOKEN = 'tok-0123456789';
const PASSWORD = 'hunter-2222';

const plan = planFrom(
  [
    '---',
    'title: uses ' + TOKEN,
    'env:',
    `  API_TOKEN: ${TOKEN}`,
    '---',
    '',
    `Prose that quotes ${TOKEN}.`,
    '',
    md(`curl -H 'Authorization: Bearer ${TOKEN}' http://x/`, 'recorded'),
    '```python\nDB_PASSWORD=!cat pw\nDB_PASSWORD=DB_PASSWORD[0]\n```\n',
    md('echo $DB_PASSWORD', 'recorded'),
  ].join('\n'),
);

describe('redaction at the fan-out', () => {
  it('a bare reporter never sees a secret: plan, steps, output chunks, progress, reports, the run report', async () => {
    const seenByGate: unknown[] = [];
    const gate: StepGate = {
      before: async (_file, step) => (seenByGate.push(step), 'run'),
      after: async (_file, step, report) => (seenByGate.push(step, report), 'next'),
    };
    const run = await runPlan(plan, {
      options: { gate, retryBudgetMs: 0 },
      fakes: {
        curl: (_args, ctx) => {
          // The token arrives split across chunks, and an Authorization header split mid-value.
          ctx.write('stdout', `got tok-01`);
          ctx.write('stdout', `23456789 back\n> Authorization: Bea`);
          ctx.write('stdout', `rer abcdefgh\n`);
          return ok(`got ${TOKEN} back\n`);
        },
        capture: () => ({ ...ok(), vars: { DB_PASSWORD: PASSWORD } }),
        shell: (_args, ctx) => {
          ctx.write('stderr', `pass=${PASSWORD.slice(0, 5)}`);
          ctx.write('stderr', `${PASSWORD.slice(5)}`);
          return ok(`${PASSWORD}\n`);
        },
      },
    });
    const all = JSON.stringify(run.events);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('abcdefgh');
    expect(JSON.stringify(seenByGate)).not.toContain(TOKEN);
    expect(JSON.stringify(seenByGate)).not.toContain(PASSWORD);
    // Redacted, not dropped: the text is all there, and whole lines arrive once they are complete.
    const chunks = (index: number) =>
      run.events.filter((e) => e.hook === 'onStepOutput' && e.args[1] === index).map((e) => e.args[3] as string);
    expect(chunks(0)).toEqual(['got [REDACTED] back\n', '> Authorization: Bearer [REDACTED]\n']);
    expect(chunks(2)).toEqual(['pass=[REDACTED]']);
    expect(run.ended[0]?.actual).toBe('got [REDACTED] back');
    expect(run.ended[2]?.actual).toBe('[REDACTED]');
    const started = run.events.find((e) => e.hook === 'onRunbookStart')?.args[0] as { frontMatter: { title: string }; steps: Step[] };
    expect(started.frontMatter.title).toBe('uses [REDACTED]');
    expect(started.steps[0]?.prose).toContain('[REDACTED]');
    // The runner's own report is not redacted (the command only reads statuses from it); what reporters got is.
    expect(run.report.runbooks[0]?.steps[2]?.actual).toBe(PASSWORD);
  });

  it('a secret learned mid-run is hidden from then on, and in the reports at the end', async () => {
    const run = await runPlan(plan, {
      fakes: { curl: () => ok(), capture: () => ({ ...ok(), vars: { DB_PASSWORD: PASSWORD } }), shell: () => ok(`${PASSWORD}\n`) },
    });
    const end = run.events.find((e) => e.hook === 'onRunEnd')?.args[0];
    expect(JSON.stringify(end)).not.toContain(PASSWORD);
    expect(JSON.stringify(end)).toContain('[REDACTED]');
  });

  it('flushes an unfinished line when its step ends, and passes a carriage-return line on at once', () => {
    const events: Event[] = [];
    const secrets = ['abcd-secret'];
    const out = fanOut([recordingReporter(events)], secrets);
    const step = plan.steps[2]!;
    out.onStepStart('f.md', step, 1, 0);
    out.onStepOutput('f.md', step.index, 'stdout', ' 50%\r');
    out.onStepOutput('f.md', step.index, 'stdout', 'no newline abcd-');
    const beforeEnd = events.filter((e) => e.hook === 'onStepOutput').map((e) => e.args[3]);
    out.onStepOutput('f.md', step.index, 'stdout', 'secret');
    const report: StepReport = { index: step.index, kind: step.kind, line: 1, command: step.command, status: 'passed', durationMs: 1, attempts: 1, actual: '', exitCode: 0 };
    out.onStepEnd('f.md', step, report);
    const chunks = events.filter((e) => e.hook === 'onStepOutput').map((e) => e.args[3]);
    expect(beforeEnd).toEqual([' 50%\r']);
    expect(chunks).toEqual([' 50%\r', 'no newline [REDACTED]']);
    expect(events.map((e) => e.hook)).toEqual(['onStepStart', 'onStepOutput', 'onStepOutput', 'onStepEnd']);
  });
});

describe('redaction of what cleanup left', () => {
  it('the delete command and the objects left are redacted like every other string', () => {
    const events: Event[] = [];
    const out = fanOut([recordingReporter(events)], ['ctx-s3cret']);
    out.onCleanup('f.md', {
      disabled: true,
      deleted: 0,
      left: [{ object: 'model/iris (context ctx-s3cret)', reason: '--no-cleanup' }],
      deleteCommand: 'kubectl --context ctx-s3cret delete -n seldon-mesh model.mlops.seldon.io/iris',
    });
    const cleanup = events.find((e) => e.hook === 'onCleanup')?.args[1];
    expect(cleanup).toEqual({
      disabled: true,
      deleted: 0,
      left: [{ object: 'model/iris (context [REDACTED])', reason: '--no-cleanup' }],
      deleteCommand: 'kubectl --context [REDACTED] delete -n seldon-mesh model.mlops.seldon.io/iris',
    });
  });
});
