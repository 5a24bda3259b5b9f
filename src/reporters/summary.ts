/** Wording shared by the terminal reporters: status marks, counts, attempts and the cleanup outcome. */
import type { CleanupReport, RunbookReport, StepReport, StepStatus } from '../core/events.js';
import { formatDuration } from '../ui/text.js';

export const marks: Record<StepStatus | 'running', string> = { passed: '✓', failed: '✗', skipped: '-', running: '▶' };

export function stepCounts(steps: readonly StepReport[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const s of steps) counts[s.status]++;
  return counts;
}

export function countsText(c: Record<StepStatus, number>): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
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
