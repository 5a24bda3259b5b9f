/**
 * The third phase: the steps in order. Each is skipped (not selected, a skip directive, interrupted, quit,
 * fail-fast) or, past the workshop gate, run to a verdict with its retries (step.ts), its traffic split checked
 * with --verify-splits, and what it did recorded for the phases after (progress.ts).
 */
import type { Step } from '../core/model.js';
import type { StepContext, StepOutput } from '../core/step.js';
import type { Reporter, StepReport } from '../core/events.js';
import { recordOutput, type RunProgress } from './progress.js';
import type { RunbookScope } from './scope.js';
import { runStep } from './step.js';
import { cellComparison, compareCell, joinedOutput, stepInCell, type CellComparison } from './cell.js';
import type { RunTarget } from './target.js';
import type { Variables } from './variables.js';

export async function runSteps(scope: RunbookScope, target: RunTarget, vars: Variables, progress: RunProgress): Promise<void> {
  const { plan, options, env } = scope;
  let warmed = false;
  let cell: CellRun | undefined;
  for (const step of plan.steps) {
    if (step.cell?.first === step.index) {
      const comparison = cellComparison(plan, step);
      cell = comparison && { comparison, first: step.index, outputs: [], missed: [] };
    }
    const reason = skipReason(scope, step, progress);
    if (reason) {
      cell?.missed.push(step.index - cell.first + 1);
      progress.reports.push(skipped(step, reason, env.reporter, plan.file));
      continue;
    }
    if (options.gate) {
      const decision = await options.gate.before(plan.file, step);
      if (decision !== 'run') {
        progress.quit = decision === 'quit';
        cell?.missed.push(step.index - cell.first + 1);
        progress.reports.push(skipped(step, decision === 'quit' ? 'quit' : 'skipped by presenter', env.reporter, plan.file));
        continue;
      }
    }
    // A wait mostly idles while the cluster works: load the libraries of the steps still to come meanwhile.
    if (step.kind === 'wait' && !warmed) {
      warmed = true;
      warm(scope, plan.steps.filter((s) => s.index > step.index && scope.selected.has(s.index)));
    }
    for (;;) {
      const report = await runOnce(scope, step, target, vars, progress, cell);
      env.reporter.onStepEnd(plan.file, step, report);
      if (options.gate) {
        const next = await options.gate.after(plan.file, step, report);
        if (next === 'rerun') continue;
        progress.quit = next === 'quit';
      }
      progress.reports.push(report);
      if (report.status === 'failed') progress.failed = true;
      break;
    }
  }
}

function skipReason(scope: RunbookScope, step: Step, progress: RunProgress): string | undefined {
  if (!scope.selected.has(step.index)) return 'not selected';
  if (step.options.skip) return 'skip directive';
  if (scope.env.signal.aborted) return 'interrupted';
  if (progress.quit) return 'quit';
  if (progress.failed && scope.options.failFast) return 'fail-fast';
  return undefined;
}

/** A cell of several steps while it runs: how it is compared, and what its steps printed so far. */
interface CellRun {
  comparison: CellComparison;
  first: number;
  outputs: (StepOutput | undefined)[];
  /** 1-based numbers of the cell's commands that did not run (skipped): the cell cannot be compared whole. */
  missed: number[];
}

/** The settings that make the last step of a cell compared as a whole judge the whole cell. */
function wholeCell(step: Step, cell: CellRun | undefined, progress: RunProgress) {
  if (cell?.comparison.type !== 'whole' || step.index !== cell.comparison.steps.at(-1)?.index) return undefined;
  const comparison = cell.comparison;
  const before = cell.outputs.slice(0, step.index - cell.first);
  return {
    compare: (output: StepOutput) => compareCell(comparison, [...before, output], progress.match),
    shown: (output: StepOutput) => joinedOutput(comparison.steps, [...before, output]),
  };
}

/** One run of a step (with its retries) to a report; --verify-splits may still fail a step that matched. */
async function runOnce(scope: RunbookScope, step: Step, target: RunTarget, vars: Variables, progress: RunProgress, cell?: CellRun): Promise<StepReport> {
  const { plan, options, env } = scope;
  // A step outside the selection that runs for a variable a selected step uses says so.
  const why = scope.pulledIn.get(step.index);
  const base: Omit<StepContext, 'signal' | 'deadline'> = {
    cwd: scope.cwd,
    vars: { ...vars.values },
    kube: target.kube,
    connectTo: target.connectTo,
    cache: scope.cache,
    allowWritesOutside: options.allowWritesOutside,
    write: (stream, chunk) => env.reporter.onStepOutput(plan.file, step.index, stream, chunk),
    progress: (message) => env.reporter.onStepProgress(plan.file, step.index, message),
  };
  const last = cell?.comparison.type === 'whole' && step.index === cell.comparison.steps.at(-1)?.index;
  // A cell whose commands did not all run cannot print its recording: its last step is judged by its exit status.
  const uncompared = last && cell.missed.length > 0 ? cell.missed : undefined;
  const whole = uncompared ? undefined : wholeCell(step, cell, progress);
  const run = await runStep(uncompared ? ({ ...step, expected: undefined }) : stepInCell(step, cell?.comparison), base, progress.match, {
    ...(whole && { cell: whole }),
    timeoutMs: scope.timeoutMs,
    retryBudgetMs: scope.retryBudgetMs,
    signal: env.signal,
    now: scope.now,
    sleep: scope.sleep,
    loadRunner: scope.loadRunner,
    onAttempt: (attempt, deadline) => {
      env.reporter.onStepStart(plan.file, step, attempt, deadline);
      if (attempt === 1 && why) env.reporter.onStepProgress(plan.file, step.index, why);
    },
    onProgress: (message) => env.reporter.onStepProgress(plan.file, step.index, message),
  });
  if (why) run.report.note = [why, run.report.note].filter(Boolean).join('; ');
  if (step.cell && step.cell.last > step.cell.first) {
    run.report.cell = { index: step.cell.index, command: step.index - step.cell.first + 1, commands: step.cell.last - step.cell.first + 1 };
  }
  if (cell) cell.outputs[step.index - cell.first] = run.output;
  if (cell && run.output?.skipped !== undefined) cell.missed.push(step.index - cell.first + 1);
  if (uncompared) {
    const which = `command${uncompared.length > 1 ? 's' : ''} ${uncompared.join(', ')}`;
    run.report.note = [run.report.note, `cell ${step.cell?.index ?? 0}: not compared with its recording, since ${which} of it did not run`].filter(Boolean).join('; ');
  }
  if (whole && cell && run.report.status === 'failed') run.report.note = [run.report.note, `cell ${step.cell?.index ?? 0}: its ${step.index - cell.first + 1} commands compared together with its recording`].filter(Boolean).join('; ');
  progress.ranSteps.add(step.index);
  if (run.output) {
    recordOutput(progress, step, run.output);
    if (run.output.vars) vars.define(run.output.vars);
  }
  if (run.mismatch) progress.mismatched.add(step.index);
  // Under --update a plain output difference is what gets rewritten, not a failure; an error still fails.
  if (options.update && run.mismatch && run.report.status === 'failed' && !run.report.error) run.report.status = 'updated';
  if (options.verifySplits && run.report.status === 'passed') {
    const { verifySplit } = await import('./verify-splits.js');
    const ctx = { ...base, signal: env.signal, deadline: Date.now() + scope.timeoutMs };
    const verdict = await verifySplit(step, options.verifySplits, ctx, progress.match, scope.loadRunner);
    if (verdict) {
      run.report.note = [run.report.note, `traffic split: ${verdict.summary}`].filter(Boolean).join('; ');
      if (!verdict.ok) Object.assign(run.report, { status: 'failed', failureLine: step.line, error: `traffic split does not follow its weights: ${verdict.summary}` });
    }
  }
  return run.report;
}

function skipped(step: Step, reason: string, reporter: Required<Reporter>, file: string): StepReport {
  const report: StepReport = {
    index: step.index,
    kind: step.kind,
    line: step.line,
    command: step.command,
    heading: step.heading,
    status: 'skipped',
    durationMs: 0,
    attempts: 0,
    expected: step.expected?.text,
    actual: '',
    exitCode: 0,
    skipReason: reason,
  };
  reporter.onStepEnd(file, step, report);
  return report;
}

function warm(scope: RunbookScope, steps: readonly Step[]): void {
  for (const kind of new Set(steps.map((s) => s.kind))) {
    scope
      .loadRunner(kind)
      .then((runner) => runner.warm?.())
      .catch(() => undefined);
  }
}
