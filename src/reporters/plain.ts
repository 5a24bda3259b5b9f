/**
 * `--reporter plain` (the default off a terminal): append-only lines, no cursor movement, so it reads well in
 * CI logs and pipes. Quiet when things pass: a failed step with everything about it, indented; step notes
 * (--verify-splits verdicts); what cleanup left; each runbook's summary and the total. A step that runs long says
 * what it still waits for, so a log never looks stuck. `verbose` adds a line when each step starts and ends.
 */
import type { Plan, Step } from '../core/model.js';
import type { CleanupReport, Reporter, RunbookReport, RunReport, StepReport, Target } from '../core/events.js';
import { createStyle, type Style } from '../ui/style.js';
import { firstLine, formatDuration, indent, sanitize } from '../ui/text.js';
import { countsText, leftText, marks, runbookSummary, skipText, timing } from './summary.js';

export interface PlainOptions {
  out: { write(text: string): unknown };
  color: boolean;
  /** Milliseconds clock for throttling progress lines. */
  now?: () => number;
  /**
   * A long step prints its progress at most this often (ms), and, unless verbose, only once it has run this long;
   * 0 prints every change.
   */
  progressIntervalMs?: number;
  /** A line when each step starts and when it passes or is skipped, not only when it fails. */
  verbose?: boolean;
}

export function createPlainReporter(options: PlainOptions): Reporter {
  const { out } = options;
  const s: Style = createStyle(options.color);
  const now = options.now ?? Date.now;
  const interval = options.progressIntervalMs ?? 10_000;
  // Everything shown passes through here: nothing that could move the cursor (secrets are already hidden).
  const r = (text: string) => sanitize(text, options.color);
  const write = (line: string) => out.write(`${line}\n`);
  const lines = new Map<string, number>();
  const verbose = options.verbose ?? false;
  // When each running step last printed progress (its start, unless verbose: a quick step prints none).
  const progress = new Map<string, { at: number; message: string }>();
  const key = (file: string, index: number) => `${file}\0${index}`;
  const where = (file: string, line: number | undefined) => s.dim(line === undefined ? file : `${file}:${line}`);

  const colorDiff = (diff: string) =>
    diff
      .split('\n')
      .map((l) => (l.startsWith('+') ? s.green(l) : l.startsWith('-') ? s.red(l) : l.startsWith('@@') ? s.cyan(l) : l))
      .join('\n');

  const block = (title: string, body: string) => `${indent(s.bold(title), '    ')}\n${indent(body, '      ')}`;

  return {
    onRunbookStart(plan: Plan, target: Target | undefined) {
      const count = `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`;
      const against = target
        ? ` against context ${s.bold(r(target.context))} at ${r(target.server)}${target.sandbox ? ' (sandbox)' : ''}`
        : '';
      write(`${s.bold(plan.file)}: ${count}${against}`);
    },

    onStepStart(file: string, step: Step, attempt: number) {
      const k = key(file, step.index);
      lines.set(k, step.line);
      if (attempt > 1) return;
      if (!verbose) progress.set(k, { at: now(), message: '' });
      else write(`${s.cyan(marks.running)} ${where(file, step.line)} [${step.index}] ${step.kind}: ${r(firstLine(step.command))}`);
    },

    onStepProgress(file: string, index: number, message: string) {
      const k = key(file, index);
      const last = progress.get(k);
      const t = now();
      if (last && (last.message === message || t - last.at < interval)) return;
      progress.set(k, { at: t, message });
      write(`  ${s.dim('…')} ${where(file, lines.get(k))} [${index}] ${r(message)}`);
    },

    onStepEnd(file: string, step: Step, report: StepReport) {
      progress.delete(key(file, step.index));
      const head = `${where(file, report.status === 'failed' ? (report.failureLine ?? report.line) : report.line)} [${report.index}] ${report.kind}`;
      if (report.status !== 'failed') {
        if (verbose && report.status === 'passed') write(`${s.green(marks.passed)} ${head} ${s.dim(timing(report))}`);
        if (verbose && report.status === 'updated') write(`${s.cyan(marks.updated)} ${head} ${s.dim(`updated after ${timing(report)}`)}`);
        if (verbose && report.status === 'skipped') write(`${s.yellow(marks.skipped)} ${head} ${s.dim(r(skipText(report)))}`);
        if (report.note) write(`${s.cyan('i')} ${head}: ${r(report.note)}`);
        return;
      }
      // Which command of a multi-command cell failed: the cell is what the reader finds in the notebook.
      const cell = report.cell ? ` ${s.dim(`(cell ${report.cell.index}, command ${report.cell.command} of ${report.cell.commands})`)}` : '';
      write(`${s.red(marks.failed)} ${head}${cell} ${s.red('failed')} ${s.dim(`after ${timing(report)}`)}`);
      const parts: string[] = [];
      // The start line (verbose) shows only a command's first line; quiet, the failure is the first time it is shown.
      if (!verbose || step.command.includes('\n')) parts.push(block('command:', r(step.command)));
      if (report.error) parts.push(block('error:', r(report.error)));
      if (report.diff) parts.push(block('diff (- recorded, + actual):', colorDiff(r(report.diff))));
      parts.push(block('output:', report.actual ? r(report.actual) : s.dim('(none)')));
      if (report.diagnostics?.length) parts.push(block('diagnostics:', r(report.diagnostics.join('\n'))));
      if (report.note) parts.push(block('note:', r(report.note)));
      write(parts.join('\n'));
    },

    onCleanup(file: string, cleanup: CleanupReport) {
      const heading = leftText(cleanup);
      if (heading === undefined) return;
      const out = [`${s.yellow('!')} ${s.bold(file)}: ${heading}${cleanup.left.length > 0 ? ':' : ''}`];
      for (const l of cleanup.left) out.push(`    ${r(l.object)}: ${r(l.reason)}`);
      if (cleanup.deleteCommand !== undefined) out.push(`    ${s.dim('delete with:')} ${r(cleanup.deleteCommand)}`);
      write(out.join('\n'));
    },

    onRunbookEnd(report: RunbookReport) {
      if (report.error !== undefined) {
        write(`${s.red(marks.failed)} ${s.bold(report.file)}: could not run: ${r(report.error)}`);
        return;
      }
      const mark = report.status === 'passed' ? s.green(marks.passed) : s.red(marks.failed);
      write(`${mark} ${s.bold(report.file)}: ${runbookSummary(report)}`);
    },

    onRunEnd(report: RunReport) {
      if (report.runbooks.length === 1 && !report.interrupted) return;
      const { durationMs } = report.summary;
      const runbooks = `${report.runbooks.length} runbook${report.runbooks.length === 1 ? '' : 's'}`;
      const tail = report.interrupted ? `, ${s.yellow('interrupted')}` : '';
      write(`${s.bold('total')}: ${countsText(report.summary)} in ${formatDuration(durationMs)} (${runbooks})${tail}`);
    },
  };
}
