/**
 * A real run on a pseudo-terminal (util-linux `script`), so the CLI picks the ink reporter by itself and draws
 * the live UI at 80 columns; the final screen must hold every step's mark and the summary.
 */
import { execFile } from 'node:child_process';
import stringWidth from 'string-width';
import { beforeAll, expect } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo } from '../commands/run-cli.js';

beforeAll(ensureBuilt);

/** The istio runbook against the sandbox on a pty of `columns` columns: everything the terminal received. */
function runOnPty(columns: number): Promise<string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), TERM: 'xterm-256color' };
  for (const key of ['CI', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR', 'BUILD_NUMBER']) delete env[key];
  return new Promise<string>((resolve, reject) =>
    execFile(
      'script',
      ['-qec', `stty cols ${columns} rows 30; node bin/runbook.js run runbooks/istio.md --sandbox; echo "exit=$?"`, '/dev/null'],
      { cwd: repo, env, encoding: 'utf8', timeout: 90_000 },
      (error, stdout) => (error && !stdout ? reject(error) : resolve(stdout)),
    ),
  );
}

needs('script', 'kustomize|kubectl').it('draws the live UI on a terminal and ends with the summary', async () => {
  const output = await runOnPty(80);
  // eslint-disable-next-line no-control-regex -- drop the terminal's escape sequences to read the text
  const text = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  expect(output).toContain("\u001b["); // it drew with escape sequences: the interactive reporter ran
  expect(text).toMatch(/exit=0/);
  expect(text).toMatch(/13 passed, 0 failed, 0 skipped/);
  for (const kind of ['capture', 'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete']) expect(text).toMatch(new RegExp(`✓ \\[\\d+\\] +${kind} `));
  // Nothing wider than the terminal.
  const finished = text.split('\n').filter((l) => l.includes('✓'));
  expect(finished.length).toBeGreaterThanOrEqual(13);
  for (const line of finished) expect([...line].length).toBeLessThanOrEqual(80);
}, 120_000);

needs('script', 'kustomize|kubectl').it('writes no row wider than a 32-column terminal, so no spinner frame leaves a wrapped row behind', async () => {
  const output = await runOnPty(32);
  // eslint-disable-next-line no-control-regex -- rows are what lies between line feeds and ink's erase/move sequences
  const rows = output.split(/\r?\n|\r|\x1b\[2K|\x1b\[\d*[ABG]/).map((row) => row.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
  expect(rows.join('\n')).toMatch(/exit=0/);
  expect(rows.some((row) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \[\d+\]/.test(row))).toBe(true);
  for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(32);
}, 120_000);
