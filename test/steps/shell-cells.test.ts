/**
 * What a shell step promises a runbook beyond its output: a new bash per cell (nothing of one reaches the next), its
 * own variables, an interrupt that kills it at any moment, stdout and stderr kept apart and streamed, large output,
 * and no wait for a background child holding the pipes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runShell } from '../../steps/shell.js';
import type { StepContext } from '../../src/core/step.js';
import { stepContext } from './context.js';

const folder = mkdtempSync(path.join(tmpdir(), 'runbook-shell-cells-'));
const ctx = (extra: Partial<StepContext> = {}) => stepContext({ cwd: folder, ...extra });

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('shell steps, one bash per cell', () => {
  it('lets nothing of one cell reach the next: cd, export, functions, options, traps, variables', async () => {
    const first = await runShell('cd /; export LEAK=1; KEPT=2; f() { :; }; set -eu; shopt -s nullglob; trap "echo bye" EXIT; echo $PWD', ctx());
    expect(first).toMatchObject({ stdout: '/\nbye\n', exitCode: 0 });
    const next = await runShell('pwd; echo "${LEAK-unset} ${KEPT-unset}"; declare -F; echo $-; shopt -p nullglob; false; echo still', ctx());
    expect(next).toMatchObject({ stdout: `${folder}\nunset unset\nhBc\nshopt -u nullglob\nstill\n`, exitCode: 0 });
  });

  it('gives each step its own variables, and drops one a later step no longer has', async () => {
    const show = 'echo "${ONE-unset} ${TWO-unset}"';
    const outs = await Promise.all([runShell(show, ctx({ vars: { ONE: '1' } })), runShell(show, ctx({ vars: { TWO: '2' } }))]);
    expect(outs.map((o) => o.stdout)).toEqual(['1 unset\n', 'unset 2\n']);
  });

  it('kills the step on interrupt, also when the signal was aborted before it started', async () => {
    const controller = new AbortController();
    const pending = runShell('echo started; sleep 100', ctx({ signal: controller.signal, write: () => controller.abort() }));
    const out = await pending;
    expect(out).toMatchObject({ stdout: 'started\n', exitCode: 143 });
    expect(out.diagnostics).toEqual(['killed (process group) because the step was interrupted']);
    const early = new AbortController();
    early.abort();
    expect(await runShell('sleep 100', ctx({ signal: early.signal }))).toMatchObject({ exitCode: 143 });
  });

  it('keeps stdout and stderr apart, each in order, streamed before the step ends', async () => {
    let ended = false;
    const seen: [string, string, boolean][] = [];
    const out = await runShell('echo a; echo b >&2; echo c; sleep 0.2; echo d >&2', ctx({ write: (s, c) => seen.push([s, c, ended]) }));
    ended = true;
    expect(out).toMatchObject({ stdout: 'a\nc\n', stderr: 'b\nd\n', exitCode: 0 });
    expect(seen.every(([, , afterEnd]) => !afterEnd)).toBe(true);
    expect(seen.filter(([s]) => s === 'stderr').map(([, c]) => c).join('')).toBe('b\nd\n');
  });

  it('carries 1 MB on each stream and does not wait for a background child that keeps them open', async () => {
    const big = await runShell("head -c 1048576 /dev/zero | tr '\\0' x; head -c 1048576 /dev/zero | tr '\\0' y >&2", ctx());
    expect([big.stdout.length, big.stderr.length, big.exitCode]).toEqual([1048576, 1048576, 0]);
    expect(big.stdout.replaceAll('x', '')).toBe('');
    const lingering = await runShell('sleep 30 & echo $!; echo done', ctx());
    expect(lingering.stdout).toMatch(/^\d+\ndone\n$/);
    process.kill(Number(lingering.stdout.split('\n')[0]), 'SIGKILL');
  });
});
