/** `check`, `list` and `run` of a GitBook export, end to end through the CLI. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo, runCli } from './run-cli.js';

const fixtures = join(repo, 'test/fixtures/gitbook');
const root = mkdtempSync(join(tmpdir(), 'runbook-gitbook-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a GitBook export', () => {
  it('checks clean: a ```yaml recording of `cat a; cat b` is compared, not parsed as a manifest', async () => {
    const result = await runCli(['check', 'gitbook.md', 'console.md'], { cwd: fixtures });
    expect(result.stdout).toBe('checked 2 runbooks, 10 steps in 6 cells: 0 errors, 0 warnings\n');
    expect(result.code).toBe(0);
  });

  it('still has a ```yaml document after prose checked', async () => {
    const dir = join(root, 'dup');
    cpSync(fixtures, dir, { recursive: true });
    const text = `${readFileSync(join(dir, 'gitbook.md'), 'utf8')}\nAnd this one:\n\n\`\`\`yaml\na: 1\na: 2\n\`\`\`\n`;
    writeFileSync(join(dir, 'gitbook.md'), text);
    const result = await runCli(['check', 'gitbook.md'], { cwd: dir });
    const line = text.split('\n').indexOf('a: 2') + 1;
    expect(result.stdout).toContain(`gitbook.md:${line}:1: error: YAML does not parse: Map keys must be unique`);
    expect(result.code).toBe(1);
  });

  it('lists each cell with its recording', async () => {
    const result = await runCli(['list', '--json', 'gitbook.md'], { cwd: fixtures });
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { steps: { command: string; expected: { text: string } | null }[] };
    expect(plan.steps.map((s) => [s.command, s.expected?.text.split('\n').length ?? 0])).toEqual([
      ['cat ./models/echo-a.yaml', 0],
      ['cat ./models/echo-b.yaml', 12],
      ['seldon model load -f ./models/echo-a.yaml', 0],
      ['seldon model load -f ./models/echo-b.yaml', 2],
      ['echo loaded; echo twice', 2],
    ]);
  });

  it('runs against the sandbox and matches every recording', async () => {
    const result = await runCli(['run', 'gitbook.md', '--sandbox', '--reporter', 'plain', '--timeout', '60s'], { cwd: fixtures });
    expect(result.stdout).toMatch(/gitbook\.md: 5 passed, 0 failed, 0 skipped/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('fails a step whose output drifted from its ```yaml recording', async () => {
    const dir = join(root, 'drift');
    cpSync(fixtures, dir, { recursive: true });
    writeFileSync(join(dir, 'models/echo-b.yaml'), 'kind: Model\nmetadata:\n  name: echo-c\n');
    const result = await runCli(['run', 'gitbook.md', '--sandbox', '--reporter', 'plain', '--timeout', '60s'], { cwd: dir });
    expect(result.stdout).toMatch(/gitbook\.md: 4 passed, 1 failed, 0 skipped/);
    expect(result.code).toBe(1);
  }, 60_000);
});
