/**
 * `--reporter junit=FILE`: one <testsuite> per runbook and one <testcase> per step, in the shape the common
 * JUnit schema (Jenkins, GitHub test-report actions) accepts, written atomically when the run ends.
 * Shards merge by concatenating the <testsuite> elements of their files.
 */
import type { Reporter, RunbookReport, RunReport, StepReport } from '../core/events.js';
import { writeFileAtomic } from '../core/write-atomic.js';
import { cleanupText } from './summary.js';
import { xmlAttr, xmlText } from './xml.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * `<heading> [<index>] <kind>`, the name CI systems list the step under; a command of a multi-command cell adds
 * `(cell C, command N of M)`, so a failure names the command the notebook's reader finds.
 */
export function testcaseName(step: Pick<StepReport, 'heading' | 'index' | 'kind' | 'cell'>): string {
  const cell = step.cell ? ` (cell ${step.cell.index}, command ${step.cell.command} of ${step.cell.commands})` : '';
  return `${step.heading ? `${step.heading} ` : ''}[${step.index}] ${step.kind}${cell}`;
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

/**
 * A step stopped by an interrupt (Ctrl-C, SIGTERM) reached no verdict: it is reported as <skipped>, like the steps
 * the interrupt kept from starting. <failure> would report drift in the docs that nobody found, and <error>, a
 * test that broke, is counted with the failures by most CI tools; the run's exit code (130) still says it was cut.
 */
export function interruptedStep(step: StepReport, interrupted: boolean): boolean {
  return interrupted && step.status === 'failed' && step.error !== undefined && /^interrupted\b/.test(step.error);
}

function testcase(file: string, step: StepReport, interrupted: boolean): string {
  const attrs = [
    `name="${xmlAttr(testcaseName(step))}"`,
    `classname="${xmlAttr(file)}"`,
    // Where to look, as the Ant/Jenkins/GitHub report tools read it: the first recorded line that differs.
    `file="${xmlAttr(file)}"`,
    `line="${step.status === 'failed' ? (step.failureLine ?? step.line) : step.line}"`,
    `time="${seconds(step.durationMs)}"`,
  ];
  const head = `    <testcase ${attrs.join(' ')}`;
  const body: string[] = [];
  if (interruptedStep(step, interrupted)) {
    body.push(`      <skipped message="${xmlAttr(step.error!.split('\n')[0]!)}"/>`);
  } else if (step.status === 'failed') {
    body.push(`      <failure message="${xmlAttr(failureMessage(step))}" type="${step.diff !== undefined ? 'mismatch' : 'error'}">${xmlText(failureDetails(step))}</failure>`);
  } else if (step.status === 'skipped') {
    body.push(step.skipReason ? `      <skipped message="${xmlAttr(step.skipReason)}"/>` : '      <skipped/>');
  }
  if (step.actual) body.push(`      <system-out>${xmlText(step.actual)}</system-out>`);
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join('\n')}\n    </testcase>`;
}

/** Steps shown as `status` in the file (an interrupted step counts as skipped, see interruptedStep). */
function count(runbook: RunbookReport, status: StepReport['status'], interrupted: boolean): number {
  return runbook.steps.filter((s) => (interruptedStep(s, interrupted) ? 'skipped' : s.status) === status).length;
}

function testsuite(runbook: RunbookReport, timestamp: string, interrupted: boolean): string {
  const errors = runbook.error !== undefined ? 1 : 0;
  const attrs = [
    `name="${xmlAttr(runbook.file)}"`,
    `tests="${runbook.steps.length + errors}"`,
    `failures="${count(runbook, 'failed', interrupted)}"`,
    `errors="${errors}"`,
    `skipped="${count(runbook, 'skipped', interrupted)}"`,
    `time="${seconds(runbook.durationMs)}"`,
    `timestamp="${timestamp}"`,
  ];
  const lines = [`  <testsuite ${attrs.join(' ')}>`];
  const properties: string[] = [];
  if (runbook.target) {
    properties.push(
      `      <property name="context" value="${xmlAttr(runbook.target.context)}"/>`,
      `      <property name="server" value="${xmlAttr(runbook.target.server)}"/>`,
      `      <property name="sandbox" value="${runbook.target.sandbox}"/>`,
    );
  }
  if (interrupted) properties.push('      <property name="interrupted" value="true"/>');
  if (properties.length > 0) lines.push('    <properties>', ...properties, '    </properties>');
  for (const step of runbook.steps) lines.push(testcase(runbook.file, step, interrupted));
  if (runbook.error !== undefined) {
    lines.push(
      `    <testcase name="${xmlAttr(`${runbook.file} (runbook)`)}" classname="${xmlAttr(runbook.file)}" time="0.000">`,
      `      <error message="${xmlAttr(runbook.error.split('\n')[0]!)}" type="error">${xmlText(runbook.error)}</error>`,
      '    </testcase>',
    );
  }
  const cleanup = runbook.cleanup;
  if (cleanup && (cleanup.disabled || cleanup.left.length > 0)) {
    const text = [
      cleanupText(cleanup),
      ...cleanup.left.map((l) => `${l.object}: ${l.reason}`),
      ...(cleanup.deleteCommand !== undefined ? [`delete with: ${cleanup.deleteCommand}`] : []),
    ].join('\n');
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
  const failures = all.reduce((n, r) => n + count(r, 'failed', report.interrupted), 0);
  const errors = all.filter((r) => r.error !== undefined).length;
  const skipped = all.reduce((n, r) => n + count(r, 'skipped', report.interrupted), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="runbook" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.summary.durationMs)}">`,
    ...all.map((r) => testsuite(r, timestamp, report.interrupted)),
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
