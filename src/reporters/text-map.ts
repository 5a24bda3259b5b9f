/**
 * Copies of the runner's reports with every text field mapped, for terminal reporters that sanitise what they
 * show. Reports arrive already redacted (the runner's fan-out does it for every reporter).
 */
import type { CleanupReport, RunbookReport, StepReport, Target } from '../core/events.js';

/** What every shown string goes through on a terminal (sanitising). */
export type TextMap = (text: string) => string;

const opt = (text: string | undefined, fn: TextMap) => (text === undefined ? undefined : fn(text));

export function mapStep(step: StepReport, fn: TextMap): StepReport {
  const out: StepReport = { ...step, command: fn(step.command), actual: fn(step.actual) };
  for (const key of ['expected', 'diff', 'error', 'skipReason', 'note', 'heading'] as const) {
    if (step[key] !== undefined) out[key] = opt(step[key], fn);
  }
  if (step.diagnostics) out.diagnostics = step.diagnostics.map(fn);
  return out;
}

export function mapTarget(target: Target, fn: TextMap): Target {
  return { ...target, context: fn(target.context), server: fn(target.server) };
}

export function mapCleanup(cleanup: CleanupReport, fn: TextMap): CleanupReport {
  return { ...cleanup, left: cleanup.left.map((l) => ({ object: fn(l.object), reason: fn(l.reason) })) };
}

export function mapRunbook(runbook: RunbookReport, fn: TextMap): RunbookReport {
  const out: RunbookReport = { ...runbook, steps: runbook.steps.map((s) => mapStep(s, fn)) };
  if (runbook.target) out.target = mapTarget(runbook.target, fn);
  if (runbook.cleanup) out.cleanup = mapCleanup(runbook.cleanup, fn);
  if (runbook.error !== undefined) out.error = fn(runbook.error);
  return out;
}
