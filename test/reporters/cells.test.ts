/** CI reporters name the failing command of a multi-command cell. */
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/events.js';
import { junitXml, testcaseName } from '../../src/reporters/junit.js';
import { FILE, makeStep, passed } from './fixtures.js';

const wait = makeStep(4, 'wait', 'kubectl wait --for condition=ready model/iris');

describe('cells in CI reports', () => {
  it('adds the cell and the command to the test case name, only for a cell of several commands', () => {
    expect(testcaseName({ index: 4, kind: 'wait', heading: 'Deploy', cell: { index: 3, command: 2, commands: 2 } })).toBe('Deploy [4] wait (cell 3, command 2 of 2)');
    expect(testcaseName({ index: 4, kind: 'wait', heading: 'Deploy' })).toBe('Deploy [4] wait');
  });

  it('JUnit lists the failing command under that name', () => {
    const failed = { ...passed(wait), status: 'failed' as const, diff: '-a\n+b', cell: { index: 3, command: 2, commands: 2 } };
    const report: RunReport = { runbooks: [{ file: FILE, status: 'failed', steps: [failed], durationMs: 1 }], summary: { passed: 0, failed: 1, updated: 0, skipped: 0, durationMs: 1 }, interrupted: false };
    expect(junitXml(report, new Date(0))).toMatch(/<testcase name="\[4\] wait \(cell 3, command 2 of 2\)"/);
  });
});
