/** `runbook list` and `check` show the cells fixture's cells and steps consistently, in both of its forms. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run-cli.js';

beforeAll(ensureBuilt);

const forms = ['test/fixtures/notebooks/cells.ipynb', 'test/fixtures/notebooks/cells.md'];

describe('cells in list and check', () => {
  it.each(forms)('list --json gives every step of %s its cell, the recording on the cell\'s last step', async (file) => {
    const r = await runCli(['list', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { steps: { index: number; kind: string; cell: number; expected: { text: string } | null }[] };
    expect(plan.steps.map((s) => s.cell)).toEqual([0, 1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 9]);
    const byCell = new Map<number, typeof plan.steps>();
    for (const s of plan.steps) byCell.set(s.cell, [...(byCell.get(s.cell) ?? []), s]);
    for (const steps of byCell.values()) {
      // Only a cell's last step may hold its recording.
      expect(steps.slice(0, -1).every((s) => s.expected === null)).toBe(true);
    }
    expect(byCell.get(8)!.at(-1)!.expected?.text).toBe('{}\n{}');
  });

  it.each(forms)('the list table and check agree on %s: 14 steps in 10 cells', async (file) => {
    const table = await runCli(['list', file]);
    const rows = table.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(14);
    expect(new Set(rows.map((r) => r.trim().split(/\s+/)[1])).size).toBe(10);
    const check = await runCli(['check', file]);
    // The %%writefile cell makes the manifest the apply reads; only the cell recorded without output is worth a word.
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^[^\n]*cells\.(ipynb|md):\d+:1: warning: no recorded output[^\n]*\nchecked 1 runbook, 14 steps in 10 cells: 0 errors, 1 warning\n$/);
  });
});
