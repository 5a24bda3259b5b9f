/**
 * The long-lived shell (RUNBOOK_SHELL=server): steps forked by it behave as steps spawned from Node do (same output, environment, exit
 * status, process group), and nothing of one step reaches the next.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runShell } from '../../../steps/shell.js';
import { shellHost } from '../../../steps/shell/host.js';
import type { StepContext } from '../../../src/core/step.js';
import { closeCache, stepContext } from '../context.js';

const cache = new Map<string, unknown>();
const folder = mkdtempSync(path.join(tmpdir(), 'runbook-shell-server-'));
const ctx = (extra: Partial<StepContext> = {}) => stepContext({ cwd: folder, cache, ...extra });

/** Waits until the runbook's long-lived shell takes steps (the steps before that are spawned). */
async function serverReady(): Promise<number> {
  await runShell('true', ctx());
  await vi.waitFor(() => expect(shellHost(cache).current?.usable).toBe(true), { timeout: 10_000, interval: 20 });
  return shellHost(cache).current!.pid!;
}

/** The pid of the process that forked the step's shell. */
const parentOf = 'shell=$BASHPID; grep PPid: /proc/$shell/status | cut -f2';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  process.env.RUNBOOK_SHELL = 'server';
  await serverReady();
});

afterAll(async () => {
  delete process.env.RUNBOOK_SHELL;
  await closeCache(cache);
  rmSync(folder, { recursive: true, force: true });
});

describe('the long-lived shell', () => {
  it('forks each step, which prints, exits and sees its environment as a spawned bash does', async () => {
    const server = await serverReady();
    const vars = { GREETING: 'a $(touch pwned) "b"\n\tline two ✓', EMPTY: '' };
    const scripts = [
      'echo "$GREETING"; echo "[$EMPTY]"; echo err >&2',
      'echo $LINENO\nnosuch\nf() { nosuch2; }; f\necho "$0|$#|$-|$SHLVL|${OLDPWD-unset}"',
      'env -u _ -u RUNBOOK_SHELL | sort',
      'pwd; echo "$PWD"; set -o | grep -E "^(pipefail|errexit|monitor|nounset)"; trap -p; declare -F',
      'grep -E "^Sig(Ign|Blk)" /proc/self/status; umask; ulimit -n',
      "printf '\\x00\\x01\\xff\\xfe é ✓ \\\\ it'\"'\"'s\\n'",
      'exit_three() { return 3; }; exit_three | cat',
      'echo out; exit 7',
      'kill -TERM $BASHPID',
    ];
    const forked = await Promise.all(scripts.map((s) => runShell(s, ctx({ vars }))));
    const spawned = await withSpawn(() => Promise.all(scripts.map((s) => runShell(s, ctx({ vars, cache: new Map() })))));
    expect(forked.map(({ stdout, stderr, exitCode }) => ({ stdout, stderr, exitCode }))).toEqual(
      spawned.map(({ stdout, stderr, exitCode }) => ({ stdout, stderr, exitCode })),
    );
    expect(forked.at(-3)?.exitCode).toBe(3);
    expect(forked.at(-1)?.exitCode).toBe(143);
    expect((await runShell(parentOf, ctx())).stdout.trim()).toBe(String(server));
  });

  it('lets nothing of one cell reach the next: cd, export, functions, options, traps, variables', async () => {
    await serverReady();
    const first = await runShell('cd /; export LEAK=1; KEPT=2; f() { :; }; set -eu; shopt -s nullglob; trap "echo bye" EXIT; echo $PWD', ctx());
    expect(first).toMatchObject({ stdout: '/\nbye\n', exitCode: 0 });
    const next = await runShell('pwd; echo "${LEAK-unset} ${KEPT-unset}"; declare -F; echo $-; shopt -p nullglob; false; echo still', ctx());
    expect(next).toMatchObject({ stdout: `${folder}\nunset unset\nhBc\nshopt -u nullglob\nstill\n`, exitCode: 0 });
  });

  it('gives each step its own variables, and drops one a later step no longer has', async () => {
    await serverReady();
    const show = 'echo "${ONE-unset} ${TWO-unset}"';
    const outs = await Promise.all([runShell(show, ctx({ vars: { ONE: '1' } })), runShell(show, ctx({ vars: { TWO: '2' } }))]);
    expect(outs.map((o) => o.stdout)).toEqual(['1 unset\n', 'unset 2\n']);
  });

  it('kills the step, its pipeline and its background grandchildren at the deadline (128+15)', async () => {
    await serverReady();
    const out = await runShell('sleep 100 & echo $!; (sleep 100 | cat) & echo $!; sleep 100', ctx({ deadline: Date.now() + 500 }));
    expect(out.exitCode).toBe(143);
    expect(out.diagnostics?.[0]).toMatch(/deadline/);
    const pids = out.stdout.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), { timeout: 3_000, interval: 20 });
  });

  it('kills the step on interrupt, even one whose group is not reported yet', async () => {
    await serverReady();
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
    await serverReady();
    let ended = false;
    const seen: [string, string, boolean][] = [];
    const out = await runShell('echo a; echo b >&2; echo c; sleep 0.2; echo d >&2', ctx({ write: (s, c) => seen.push([s, c, ended]) }));
    ended = true;
    expect(out).toMatchObject({ stdout: 'a\nc\n', stderr: 'b\nd\n', exitCode: 0 });
    expect(seen.every(([, , afterEnd]) => !afterEnd)).toBe(true);
    expect(seen.filter(([s]) => s === 'stderr').map(([, c]) => c).join('')).toBe('b\nd\n');
  });

  it('carries 1 MB on each stream and does not wait for a background child that keeps them open', async () => {
    await serverReady();
    const big = await runShell("head -c 1048576 /dev/zero | tr '\\0' x; head -c 1048576 /dev/zero | tr '\\0' y >&2", ctx());
    expect([big.stdout.length, big.stderr.length, big.exitCode]).toEqual([1048576, 1048576, 0]);
    expect(big.stdout.replaceAll('x', '')).toBe('');
    const lingering = await runShell('sleep 30 & echo $!; echo done', ctx());
    expect(lingering.stdout).toMatch(/^\d+\ndone\n$/);
    process.kill(Number(lingering.stdout.split('\n')[0]), 'SIGKILL');
  });

  it('spawns a step that reads $$ or gets stdin text, which a forked subshell cannot give it', async () => {
    const server = await serverReady();
    const own = await runShell('[ $$ = $BASHPID ] && echo own; grep PPid: /proc/$$/status | cut -f2', ctx());
    expect(own.stdout).toBe(`own\n${process.pid}\n`);
    expect((await runShell('cat; echo " $PPID"', ctx(), { stdin: 'from stdin' })).stdout).toBe(`from stdin ${process.pid}\n`);
    expect((await runShell(parentOf, ctx())).stdout.trim()).toBe(String(server));
  });

  it('survives the shell dying in the middle of a step: that step fails, the next says so, a new shell follows', async () => {
    const old = await serverReady();
    const running = runShell('echo $BASHPID; sleep 100', ctx({ write: () => alive(old) && process.kill(-old, 'SIGKILL') }));
    const out = await running;
    expect(out.exitCode).toBe(1);
    expect(out.diagnostics?.join('\n')).toMatch(/long-lived shell \(pid \d+\) was killed by SIGKILL while this step ran/);
    await vi.waitFor(() => expect(alive(Number(out.stdout))).toBe(false), { timeout: 3_000, interval: 20 });
    const next = await runShell('echo next', ctx());
    expect(next).toMatchObject({ stdout: 'next\n', exitCode: 0 });
    expect(next.diagnostics?.[0]).toMatch(/was killed by SIGKILL; a new one was started/);
    const fresh = await serverReady();
    expect(fresh).not.toBe(old);
    expect((await runShell(parentOf, ctx())).stdout.trim()).toBe(String(fresh));
  });
});

/** Runs steps spawned from Node, the default (they read the switch when they start). */
function withSpawn<T>(run: () => Promise<T>): Promise<T> {
  process.env.RUNBOOK_SHELL = 'spawn';
  try {
    return run();
  } finally {
    process.env.RUNBOOK_SHELL = 'server';
  }
}
