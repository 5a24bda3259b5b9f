/**
 * `--reporter junit=FILE`: one <testsuite> per runbook and one <testcase> per step, in the shape the common
 * JUnit schema (Jenkins, GitHub test-report actions) accepts, written atomically when the run ends.
 * Shards merge by concatenating the <testsuite> elements of their files.
 */
import type { Reporter, RunbookReport, RunReport, StepReport } from '../core/events.js';
import { writeFileAtomic } from '../core/write-atomic.js';
import { xmlAttr, xmlText } from './xml.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** `<heading> [<index>] <kind>`, the name CI systems list the step under. */
export function testcaseName(step: Pick<StepReport, 'heading' | 'index' | 'kind'>): string {
  return `${step.heading ? `${step.heading} ` : ''}[${step.index}] ${step.kind}`;
}

/** Why a failed step failed, in one line: the first line of its error, else the mismatch. */
export function failureMessage(step: StepReport): string {
  if (step.error) return step.error.split('\n')[0]!;
  return step.diff !== undefined ? 'output differs from the recording' : `failed with exit status ${step.exitCode}`;
}

/** Everything a reader needs under a failure: the error, the diff, then the objects' conditions and events. */
export function failureDetails(step: StepReport): string {
  const parts: string[] = [];
  if (step.error) parts.push(step.error);
  if (step.diff) parts.push(step.diff);
  if (step.diagnostics?.length) parts.push(step.diagnostics.join('\n'));
  return parts.join('\n\n');
}

function testcase(file: string, step: StepReport): string {
  const head = `    <testcase name="${xmlAttr(testcaseName(step))}" classname="${xmlAttr(file)}" time="${seconds(step.durationMs)}"`;
  const body: string[] = [];
  if (step.status === 'failed') {
    body.push(`      <failure message="${xmlAttr(failureMessage(step))}" type="${step.diff !== undefined ? 'mismatch' : 'error'}">${xmlText(failureDetails(step))}</failure>`);
  } else if (step.status === 'skipped') {
    body.push(step.skipReason ? `      <skipped message="${xmlAttr(step.skipReason)}"/>` : '      <skipped/>');
  }
  if (step.actual) body.push(`      <system-out>${xmlText(step.actual)}</system-out>`);
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join('\n')}\n    </testcase>`;
}

function count(runbook: RunbookReport, status: StepReport['status']): number {
  return runbook.steps.filter((s) => s.status === status).length;
}

function testsuite(runbook: RunbookReport, timestamp: string): string {
  const errors = runbook.error !== undefined ? 1 : 0;
  const attrs = [
    `name="${xmlAttr(runbook.file)}"`,
    `tests="${runbook.steps.length + errors}"`,
    `failures="${count(runbook, 'failed')}"`,
    `errors="${errors}"`,
    `skipped="${count(runbook, 'skipped')}"`,
    `time="${seconds(runbook.durationMs)}"`,
    `timestamp="${timestamp}"`,
  ];
  const lines = [`  <testsuite ${attrs.join(' ')}>`];
  if (runbook.target) {
    lines.push(
      '    <properties>',
      `      <property name="context" value="${xmlAttr(runbook.target.context)}"/>`,
      `      <property name="server" value="${xmlAttr(runbook.target.server)}"/>`,
      `      <property name="sandbox" value="${runbook.target.sandbox}"/>`,
      '    </properties>',
    );
  }
  for (const step of runbook.steps) lines.push(testcase(runbook.file, step));
  if (runbook.error !== undefined) {
    lines.push(
      `    <testcase name="${xmlAttr(`${runbook.file} (runbook)`)}" classname="${xmlAttr(runbook.file)}" time="0.000">`,
      `      <error message="${xmlAttr(runbook.error.split('\n')[0]!)}" type="error">${xmlText(runbook.error)}</error>`,
      '    </testcase>',
    );
  }
  const cleanup = runbook.cleanup;
  if (cleanup && (cleanup.disabled || cleanup.left.length > 0)) {
    const text = cleanup.disabled
      ? 'cleanup: skipped (--no-cleanup)'
      : `cleanup: ${cleanup.deleted} deleted, ${cleanup.left.length} left\n${cleanup.left.map((l) => `${l.object}: ${l.reason}`).join('\n')}`;
    lines.push(`    <system-out>${xmlText(text)}</system-out>`);
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The whole document for a run, redaction already applied by the caller. */
export function junitXml(report: RunReport, now: Date = new Date()): string {
  const timestamp = now.toISOString().replace(/\.\d+Z$/, '');
  const all = report.runbooks;
  const tests = all.reduce((n, r) => n + r.steps.length + (r.error !== undefined ? 1 : 0), 0);
  const failures = all.reduce((n, r) => n + count(r, 'failed'), 0);
  const errors = all.filter((r) => r.error !== undefined).length;
  const skipped = all.reduce((n, r) => n + count(r, 'skipped'), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="runbook" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.summary.durationMs)}">`,
    ...all.map((r) => testsuite(r, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}

export function createJunitReporter(file: string, options: { now?: () => Date } = {}): Reporter {
  return {
    async onRunEnd(report: RunReport) {
      await writeFileAtomic(file, junitXml(report, options.now?.()));
    },
  };
}
