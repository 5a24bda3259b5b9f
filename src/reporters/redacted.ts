/** Redacted copies of the runner's reports, for reporters that write them out whole. */
import { redact } from '../redact.js';
import type { CleanupReport, RunbookReport, RunReport, StepReport, Target } from '../runner/events.js';

/**
 * Secrets a reporter must hide. The runner may push captured values into the same array during the run, so
 * reporters read it at every call instead of copying it.
 */
export type Secrets = readonly string[];

const opt = (text: string | undefined, secrets: Secrets) => (text === undefined ? undefined : redact(text, secrets));

export function redactStep(step: StepReport, secrets: Secrets): StepReport {
  const out: StepReport = { ...step, command: redact(step.command, secrets), actual: redact(step.actual, secrets) };
  for (const key of ['expected', 'diff', 'error', 'skipReason', 'note', 'heading'] as const) {
    if (step[key] !== undefined) out[key] = opt(step[key], secrets);
  }
  if (step.diagnostics) out.diagnostics = step.diagnostics.map((d) => redact(d, secrets));
  return out;
}

export function redactTarget(target: Target, secrets: Secrets): Target {
  return { ...target, server: redact(target.server, secrets) };
}

export function redactCleanup(cleanup: CleanupReport, secrets: Secrets): CleanupReport {
  return { ...cleanup, left: cleanup.left.map((l) => ({ object: redact(l.object, secrets), reason: redact(l.reason, secrets) })) };
}

export function redactRunbook(runbook: RunbookReport, secrets: Secrets): RunbookReport {
  const out: RunbookReport = { ...runbook, steps: runbook.steps.map((s) => redactStep(s, secrets)) };
  if (runbook.target) out.target = redactTarget(runbook.target, secrets);
  if (runbook.cleanup) out.cleanup = redactCleanup(runbook.cleanup, secrets);
  if (runbook.error !== undefined) out.error = redact(runbook.error, secrets);
  return out;
}

export function redactRun(report: RunReport, secrets: Secrets): RunReport {
  return { ...report, runbooks: report.runbooks.map((r) => redactRunbook(r, secrets)) };
}
