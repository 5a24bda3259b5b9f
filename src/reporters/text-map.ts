/** Redacted copies of the runner's reports, for reporters that write or show them whole. */
import { redact } from '../core/redact.js';
import type { CleanupReport, RunbookReport, RunReport, StepReport, Target } from '../core/events.js';

/**
 * Secrets a reporter must hide. The runner may push captured values into the same array during the run, so
 * reporters read it at every call instead of copying it.
 */
export type Secrets = readonly string[];

/** What every shown or written string goes through (redaction, and for terminals also sanitising). */
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

const redactor = (secrets: Secrets): TextMap => (text) => redact(text, secrets);

export const redactStep = (step: StepReport, secrets: Secrets) => mapStep(step, redactor(secrets));
export const redactRunbook = (runbook: RunbookReport, secrets: Secrets) => mapRunbook(runbook, redactor(secrets));

export function redactRun(report: RunReport, secrets: Secrets): RunReport {
  return { ...report, runbooks: report.runbooks.map((r) => redactRunbook(r, secrets)) };
}
