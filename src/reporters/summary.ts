/** Wording shared by the terminal reporters: status marks, counts, attempts and the cleanup outcome. */
import type { Step } from '../core/model.js';
import type { CleanupReport, RunbookReport, StepReport, StepStatus } from '../core/events.js';
import { formatDuration } from '../ui/text.js';

export const marks: Record<StepStatus | 'running', string> = { passed: '✓', failed: '✗', updated: '✎', skipped: '-', running: '▶' };

export function stepCounts(steps: readonly StepReport[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { passed: 0, failed: 0, updated: 0, skipped: 0 };
  for (const s of steps) counts[s.status]++;
  return counts;
}

/** `12 passed, 1 failed, 0 skipped`; `updated` appears only when --update rewrote something. */
export function countsText(c: Record<StepStatus, number>): string {
  return `${c.passed} passed, ${c.updated > 0 ? `${c.updated} updated, ` : ''}${c.failed} failed, ${c.skipped} skipped`;
}

/** `1.2s`, `1.2s, 3 attempts`. */
export function timing(report: Pick<StepReport, 'durationMs' | 'attempts'>): string {
  return report.attempts > 1 ? `${formatDuration(report.durationMs)}, ${report.attempts} attempts` : formatDuration(report.durationMs);
}

/** `cleanup: 3 deleted, 0 left`, `cleanup: 2 deleted, 1 left`, `cleanup: skipped (--no-cleanup)`. */
export function cleanupText(cleanup: CleanupReport): string {
  if (cleanup.disabled) return 'cleanup: skipped (--no-cleanup)';
  return `cleanup: ${cleanup.deleted} deleted, ${cleanup.left.length} left`;
}

/**
 * What was left in the cluster, as a heading for the list: `1 object left in the cluster` (cleanup could not
 * delete it) or `3 objects left in the cluster (--no-cleanup)`; undefined when nothing was left.
 */
export function leftText(cleanup: CleanupReport): string | undefined {
  const n = cleanup.left.length;
  if (n === 0) return cleanup.disabled ? 'nothing left in the cluster (--no-cleanup)' : undefined;
  return `${n} object${n === 1 ? '' : 's'} left in the cluster${cleanup.disabled ? ' (--no-cleanup)' : ''}`;
}

/** Where to look at a step: the first recorded line that differs when the output differs, else the command. */
export function location(file: string, report: Pick<StepReport, 'line' | 'failureLine'>): string {
  return `${file}:${report.failureLine ?? report.line}`;
}

/**
 * The time limit to show for an attempt that started at `startedAt`: a wait's own `--timeout` rather than the
 * runner's deadline, which gives the watch a little longer to report (a 300 s wait must not read `5m02s`).
 */
export function limitMs(step: Step, startedAt: number, deadline: number): number {
  const left = deadline - startedAt;
  return step.kind === 'wait' && step.options.timeoutMs === undefined ? Math.min(left, step.args.timeoutMs) : left;
}

/** `12 passed, 1 failed, 0 skipped in 12s; cleanup: 3 deleted, 0 left`. */
export function runbookSummary(report: RunbookReport): string {
  const parts = [`${countsText(stepCounts(report.steps))} in ${formatDuration(report.durationMs)}`];
  if (report.cleanup) parts.push(cleanupText(report.cleanup));
  if (report.updated?.length) parts.push(`updated ${report.updated.length} recorded output${report.updated.length === 1 ? '' : 's'} (${report.updated.map((i) => `[${i}]`).join(' ')})`);
  return parts.join('; ');
}

/** Why a skipped step did not run, in the words shown after `skipped`. */
export function skipText(report: StepReport): string {
  return report.skipReason ? `skipped: ${report.skipReason}` : 'skipped';
}
