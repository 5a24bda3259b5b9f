/**
 * `runbook run` refuses what cannot mean anything with exit 2, one line naming what was wrong and what was
 * expected, and no stack trace: flags out of range, a run that would check nothing, --step with --concurrency, a
 * sandbox port already taken. Its --help fits 80 columns and says the examples and exit codes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../runner/fixtures.js';
import { ensureBuilt, runCli } from './run-cli.js';

const dir = tempDir('runbook-run-usage-');
const echo = path.join(dir, 'echo.md');
beforeAll(() => {
  ensureBuilt();
  writeFileSync(echo, '# Echo\n\n```sh\n$ echo hi\n```\n\n```output\nhi\n```\n\n```sh\n$ echo two\n```\n\n```output\ntwo\n```\n');
});

/** Exit 2 with exactly `message` on stderr, nothing on stdout. */
async function refused(args: string[], message: string): Promise<void> {
  const run = await runCli(['run', ...args, '--reporter', 'plain']);
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 2, stdout: '', stderr: `runbook: ${message}\n` });
}

describe('run flags', () => {
  it('refuses --timeout 0, a backwards --only range and a --set name no shell could export', async () => {
    await refused([echo, '--timeout', '0'], '--timeout "0": expected a duration above zero, such as 30s or 5m');
    await refused([echo, '--timeout', '0s'], '--timeout "0s": expected a duration above zero, such as 30s or 5m');
    await refused([echo, '--only', '5-3'], '--only "5-3": the range goes backwards; expected LOW-HIGH, such as 3-5');
    await refused(
      [echo, '--set', 'A B=1'],
      '--set "A B=1": "A B" is not a variable name; expected letters, digits and _, not starting with a digit (such as INGRESS_IP)',
    );
    await refused([echo, '--set', '1A=x'], '--set "1A=x": "1A" is not a variable name; expected letters, digits and _, not starting with a digit (such as INGRESS_IP)');
    // What is valid still runs.
    const ok = await runCli(['run', echo, '--timeout', '30s', '--only', '0-1', '--set', 'A_1=x', '--reporter', 'plain']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  }, 30_000);

  it('refuses --step with --concurrency above 1 (two prompts at once)', async () => {
    await refused([echo, '--step', '--concurrency', '2'], '--step cannot be combined with --concurrency 2: the workshop mode asks before each step, one runbook at a time');
  });
});

describe('runs that would check nothing', () => {
  it('refuses an empty folder and a folder without runbooks', async () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    await refused([empty], `${empty}: no runbooks in this folder (no .md or .ipynb file in it or below it)`);
    const prose = path.join(dir, 'prose');
    mkdirSync(prose);
    writeFileSync(path.join(prose, 'README.md'), '# Just prose\n\nNo steps here.\n');
    const run = await runCli(['run', prose, '--reporter', 'plain']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`runbook: ignored ${path.join(prose, 'README.md')}: no steps: no \`$ \` prompt, recorded output or \`!\` cell (front matter \`runbook: true\` opts in)\n`);
    expect(run.stderr).toContain(`runbook: ${prose}: no runbooks (files with steps) found; a step is a`);
  });

  it('refuses a named file with no steps, and skips such files in a folder that has runbooks', async () => {
    const blank = path.join(dir, 'blank.md');
    writeFileSync(blank, '');
    const run = await runCli(['run', blank, '--reporter', 'plain']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(new RegExp(`^runbook: ${blank}: no steps to run; a step is a \`\`\`sh/\`\`\`console fence with a \`\\$ \` prompt`));
    const mixed = path.join(dir, 'mixed');
    mkdirSync(mixed);
    writeFileSync(path.join(mixed, 'a.md'), '# Notes\n');
    writeFileSync(path.join(mixed, 'b.md'), '```sh\n$ echo b\n```\n\n```output\nb\n```\n');
    const folder = await runCli(['run', mixed, '--reporter', 'plain']);
    expect(folder.code, folder.stdout + folder.stderr).toBe(0);
    expect(folder.stdout).toContain('b.md: 1 passed');
    expect(folder.stderr).toMatch(new RegExp(`^runbook: ignored ${path.join(mixed, 'a.md')}: no steps: [^\\n]+\\n$`));
  });
});

describe('--sandbox-port already in use', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('says which flag and port, with exit 2 and no stack trace, as `runbook sandbox` does', async () => {
    const message = `127.0.0.1:${port} is already in use; choose another port or leave the flag out for a free one`;
    await refused([echo, '--sandbox', '--sandbox-port', String(port)], `--sandbox-port: ${message}`);
    await refused([echo, '--sandbox', '--sandbox-ingress-port', String(port)], `--sandbox-ingress-port: ${message}`);
    const sandbox = await runCli(['sandbox', '--port', String(port)]);
    expect([sandbox.code, sandbox.stderr]).toEqual([2, `runbook: --port: ${message}\n`]);
  }, 30_000);
});

describe('run --help', () => {
  it('fits 80 columns and gives examples and the exit codes', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    const lines = help.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(help.stdout).not.toContain('(default: [])');
    expect(help.stdout).toContain('Examples:\n  runbook run runbooks/istio.md --sandbox\n');
    expect(help.stdout).toContain('Exit codes: 0 every step passed, 1 a step drifted or failed, 2 bad input or\nusage, 130 interrupted (Ctrl-C or SIGTERM).');
  });
});
