/**
 * `--reporter github`: workflow-command annotations (`::error file=…,line=…::`) for failed steps as they fail,
 * and, when GITHUB_STEP_SUMMARY names a file, a Markdown job summary appended to it when the run ends.
 */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Step } from '../core/model.js';
import type { Reporter, RunbookReport, RunReport, StepReport } from '../core/events.js';
import { formatDuration } from '../ui/text.js';
import { failureDetails, failureMessage, testcaseName } from './junit.js';
import { cleanupText } from './summary.js';

/** Escaping for a workflow command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a workflow command's property values (`file=`, `title=`), where `:` and `,` also delimit. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubOptions {
  /** Where annotations go (the job log). */
  stdout: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export function createGithubReporter(options: GithubOptions): Reporter {
  const { stdout, env } = options;
  // Annotations need paths relative to the repository root.
  const root = env.GITHUB_WORKSPACE || options.cwd;
  const rel = (file: string) => (path.isAbsolute(file) ? path.relative(root, file) || file : file).split(path.sep).join('/');

  const annotate = (props: Record<string, string | number>, message: string) => {
    const list = Object.entries(props)
      .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
      .join(',');
    stdout.write(`::error ${list}::${escapeData(message)}\n`);
  };

  return {
    onStepEnd(file: string, _step: Step, report: StepReport) {
      if (report.status !== 'failed') return;
      const details = failureDetails(report);
      annotate(
        // The first recorded line that differs, so the annotation sits on the drift itself.
        { file: rel(file), line: report.failureLine ?? report.line, title: `runbook: ${testcaseName(report)} failed` },
        // failureDetails starts with the error when there is one; otherwise say what kind of failure it was.
        report.error ? details : [failureMessage(report), details].filter(Boolean).join('\n'),
      );
    },
    onRunbookEnd(report: RunbookReport) {
      if (report.error === undefined) return;
      annotate({ file: rel(report.file), title: 'runbook: could not run' }, report.error);
    },
    async onRunEnd(report: RunReport) {
      const summaryFile = env.GITHUB_STEP_SUMMARY;
      if (!summaryFile) return;
      await appendFile(summaryFile, jobSummary(report), 'utf8');
    },
  };
}

/** A fence longer than any backtick run inside `text`, so the block cannot be closed early. */
function fence(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${info}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

const counts = (r: RunbookReport) => ({
  passed: r.steps.filter((s) => s.status === 'passed').length,
  failed: r.steps.filter((s) => s.status === 'failed').length,
  skipped: r.steps.filter((s) => s.status === 'skipped').length,
});

/** The Markdown appended to GITHUB_STEP_SUMMARY: a table of runbooks, then each failed step with its diff. */
export function jobSummary(report: RunReport): string {
  const { passed, failed, skipped, durationMs } = report.summary;
  const out: string[] = [
    `### runbook: ${passed} passed, ${failed} failed, ${skipped} skipped in ${formatDuration(durationMs)}${report.interrupted ? ' (interrupted)' : ''}`,
    '',
    '| Runbook | Result | Passed | Failed | Skipped | Time |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of report.runbooks) {
    const c = counts(r);
    const result = r.error !== undefined ? '❌ could not run' : r.status === 'passed' ? '✅ passed' : r.status === 'failed' ? '❌ failed' : '⏭️ skipped';
    out.push(`| ${cell(r.file)} | ${result} | ${c.passed} | ${c.failed} | ${c.skipped} | ${formatDuration(r.durationMs)} |`);
  }
  for (const r of report.runbooks) {
    if (r.error !== undefined) out.push('', `#### ❌ ${cell(r.file)}: could not run`, '', fence(r.error));
    for (const s of r.steps.filter((x) => x.status === 'failed')) {
      out.push('', `#### ❌ ${cell(`${r.file}:${s.failureLine ?? s.line}`)} ${cell(testcaseName(s))}`, '', fence(s.command, 'sh'), '', cell(failureMessage(s)));
      if (s.diff) out.push('', fence(s.diff, 'diff'));
      if (s.error && s.error.includes('\n')) out.push('', fence(s.error));
      if (s.diagnostics?.length) out.push('', fence(s.diagnostics.join('\n')));
    }
    const cleanup = r.cleanup;
    if (cleanup && (cleanup.disabled || cleanup.left.length > 0)) {
      out.push('', `${cell(r.file)}: ${cell(cleanupText(cleanup))}`);
      if (cleanup.left.length > 0) out.push('');
      for (const l of cleanup.left) out.push(`- ${cell(l.object)}: ${cell(l.reason)}`);
      if (cleanup.deleteCommand !== undefined) out.push('', 'Delete what was left with:', '', fence(cleanup.deleteCommand, 'sh'));
    }
  }
  return `${out.join('\n')}\n\n`;
}
