/**
 * A signal at any moment after Node's start ends `runbook run` with exit 130 and the reports asked for, never with
 * Node's default action (killed, no exit code, no report): before the bundle has loaded (bin/runbook.js catches
 * signals first thing and hands them to the command), and while the process winds down after the run (the
 * command hands them back rather than removing its handlers, and the launcher ends the process itself instead of
 * letting Node's teardown restore the default action). `npm run soak` sends them at random moments.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from '../commands/run-cli.js';
import { readReport, tempDir } from '../runner/fixtures.js';
import { runSignalled } from './harness.js';

const dir = tempDir('runbook-signals-');
const book = path.join(dir, 'echo.md');
/** A copy of the launcher whose bundle takes a second to load and says when it starts loading. */
const slow = path.join(dir, 'slow', 'bin', 'runbook.js');

beforeAll(() => {
  ensureBuilt();
  writeFileSync(book, '```sh\n$ echo one\n```\n\n```output\none\n```\n\n```sh\n$ echo two\n```\n\n```output\ntwo\n```\n');
  mkdirSync(path.dirname(slow), { recursive: true });
  mkdirSync(path.join(dir, 'slow', 'dist'));
  // The launcher with the files it requires (bin/code-cache.js), as a package ships them.
  cpSync(path.join(repo, 'bin'), path.dirname(slow), { recursive: true });
  const real = pathToFileURL(path.join(repo, 'dist', 'cli.js')).href;
  writeFileSync(
    path.join(dir, 'slow', 'dist', 'cli.js'),
    `process.stderr.write('loading\\n');\nawait new Promise((r) => setTimeout(r, 1000));\nawait import(${JSON.stringify(real)});\n`,
  );
});

/** Runs the slow launcher and sends `signal` the moment its bundle starts loading. */
function signalWhileLoading(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [slow, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const before = stderr;
      stderr += d.toString();
      if (!before.includes('loading\n') && stderr.includes('loading\n')) child.kill(signal);
    });
    child.on('error', reject);
    child.on('close', (code, killedBy) => resolve({ code, signal: killedBy, stdout, stderr }));
  });
}

describe('signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s before the bundle has loaded: exit 130, the JSON report, nothing run', async (signal) => {
    const json = path.join(dir, `early-${signal}.json`);
    const run = await signalWhileLoading(['run', book, '--reporter', 'plain', '--reporter', `json=${json}`], signal);
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 130, signal: null });
    expect(existsSync(json)).toBe(true);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { interrupted?: boolean; runbooks: unknown[] };
    expect([report.interrupted, report.runbooks]).toEqual([true, []]);
    expect(run.stdout).not.toContain('✓');
  }, 30_000);

  it('SIGTERM before the bundle has loaded, for a command that never claims signals: exit 130', async () => {
    const run = await signalWhileLoading(['list', book], 'SIGTERM');
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('%s while the process winds down after the run: exit 130, the report written', async (signal) => {
    const json = path.join(dir, `late-${signal}.json`);
    // The wind-down made long and visible: when the launcher ends the process, once the command is done, a preload
    // says so and holds the first process.exit for a second, as a slow teardown would; a later call goes through.
    const preload = path.join(dir, 'slow-exit.mjs');
    writeFileSync(
      preload,
      "const exit = process.exit.bind(process);\nlet first = true;\nprocess.exit = (code) => {\n  if (!first) return exit(code);\n  first = false;\n  process.stdout.write('winding down\\n');\n  setTimeout(() => exit(code), 1000);\n};\n",
    );
    const run = await runSignalled(['run', book, '--reporter', 'plain', '--reporter', `json=${json}`], {
      env: { NODE_OPTIONS: `--import ${pathToFileURL(preload).href}` },
      when: /winding down\n/,
      signal,
    });
    expect(run.sent).toBe(true);
    expect(run.stdout).toContain('2 passed, 0 failed');
    expect({ code: run.code, signal: run.signal }, run.stdout + run.stderr).toEqual({ code: 130, signal: null });
    expect(readReport(json).runbooks[0]!.status).toBe('passed');
  }, 30_000);
});
