/** The python step on hostile cells: endless loops, floods of output, bytes that look like protocol, no python3. */
import { afterEach, describe, expect, it } from 'vitest';
import { python } from '../../steps/python.js';
import { keepBytes, keepTailBytes } from '../../steps/python/capture.js';
import { runStep } from '../../src/runner/step.js';
import type { Step } from '../../src/core/model.js';
import { needs } from '../tools.js';
import { context, type TestContext } from './python-kernel.js';

let open: TestContext[] = [];
afterEach(async () => {
  await Promise.all(open.map((ctx) => ctx.close()));
  open = [];
});

function start(vars: Record<string, string> = {}): TestContext {
  const ctx = context(vars);
  open.push(ctx);
  return ctx;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

needs('python3').describe('python step on bad input', () => {
  it('kills a kernel stuck in an endless loop when the step is aborted, with its children, and the next step says it starts afresh', async () => {
    const ctx = start();
    const pids = await python.run({ code: 'import os, subprocess\nchild = subprocess.Popen(["sleep", "300"])\nkept = 1\nprint(os.getpid(), child.pid)' }, ctx);
    const [kernelPid, childPid] = pids.stdout.trim().split(' ').map(Number) as [number, number];
    const controller = new AbortController();
    const stuck = python.run({ code: 'print("looping", flush=True)\nwhile True:\n    pass' }, { ...ctx, signal: controller.signal });
    // Abort once the loop has started (its first line is out).
    while (!ctx.chunks.some(([, text]) => text.includes('looping'))) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('timed out after 1s'));
    const out = await stuck;
    expect(out.exitCode).toBe(137);
    expect(out.stdout).toBe('looping\n');
    expect(out.stderr).toContain('killed the Python kernel because the step timed out');
    expect(await waitGone(kernelPid)).toBe(true);
    expect(await waitGone(childPid)).toBe(true);
    const next = await python.run({ code: '"kept" in globals()' }, ctx);
    expect(next.stdout).toBe('False\n');
    expect(next.stderr).toMatch(/^runbook: started a fresh Python kernel \(killed the Python kernel because the step timed out\); globals of earlier cells are gone\n$/);
    expect(next.exitCode).toBe(0);
    // Said once.
    expect((await python.run({ code: '1' }, ctx)).stderr).toBe('');
  });

  it('keeps the start and the end of a flood of output, and says how much it dropped', async () => {
    const ctx = start();
    const out = await python.run({ code: 'import sys\nsys.stdout.write("x" * 20_000_000)\n"the end"' }, ctx);
    expect(out.exitCode).toBe(0);
    const dropped = 20_000_000 + "'the end'\n".length - keepBytes - keepTailBytes;
    expect(out.stdout).toBe(`${'x'.repeat(keepBytes)}\n[runbook: ${dropped} bytes not kept]\n${'x'.repeat(keepTailBytes - 10)}'the end'\n`);
    expect(out.stderr).toBe('');
    expect((await python.run({ code: '"still here"' }, ctx)).stdout).toBe("'still here'\n");
  });

  it('is not confused by any bytes a cell prints, protocol-like or not', async () => {
    const ctx = start();
    const code = [
      'import os, struct, json',
      // A well-formed control frame and a marker-like string on the output streams, then random bytes.
      'frame = json.dumps({"t": "done", "ok": False, "vars": {"X": "forged"}}).encode()',
      'os.write(1, struct.pack(">I", len(frame)) + frame)',
      'os.write(2, b"\\x00runbook-cell-0123456789abcdef0123456789abcdef\\x00")',
      'os.write(1, os.urandom(200_000))',
      'REAL = "yes"',
    ].join('\n');
    const out = await python.run({ code }, ctx);
    expect(out.exitCode).toBe(0);
    expect(out.vars).toEqual({ REAL: 'yes' });
    expect(out.stderr).toContain('runbook-cell-0123456789abcdef');
    expect((await python.run({ code: '1 + 1' }, ctx)).stdout).toBe('2\n');
  });

  it('reports a kernel that exits by itself, and starts a fresh one for the next step', async () => {
    const ctx = start();
    const out = await python.run({ code: 'import os\nprint("bye", flush=True)\nos._exit(3)' }, ctx);
    expect(out).toMatchObject({ stdout: 'bye\n', exitCode: 137 });
    expect(out.stderr).toContain('the Python kernel exited with status 3');
    const next = await python.run({ code: '2' }, ctx);
    expect(next).toMatchObject({ stdout: '2\n', exitCode: 0 });
    expect(next.stderr).toContain('started a fresh Python kernel');
  });

  it('ends the kernel when the runbook ends', async () => {
    const ctx = start();
    const pid = Number((await python.run({ code: 'import os\nos.getpid()' }, ctx)).stdout);
    expect(alive(pid)).toBe(true);
    await ctx.close();
    expect(alive(pid)).toBe(false);
  });
});

describe('python step without python3', () => {
  it('is skipped with one reason line, and does not try again for each step', async () => {
    const ctx = start({ RUNBOOK_PYTHON: '/nonexistent/python3' });
    const first = await python.run({ code: '1' }, ctx);
    expect(first).toEqual({ stdout: '', stderr: '', exitCode: 0, skipped: '/nonexistent/python3 is not installed: Python cells are skipped' });
    expect((await python.run({ code: '2' }, ctx)).skipped).toBe(first.skipped);
  });

  it('fails, saying why, when the interpreter cannot run the kernel', async () => {
    const out = await python.run({ code: '1' }, start({ RUNBOOK_PYTHON: 'false' }));
    expect(out).toMatchObject({ stdout: '', exitCode: 1 });
    expect(out.stderr).toBe('runbook: the Python kernel did not start: the Python kernel exited with status 1\n');
  });

  it('is reported by the runner as skipped, not failed, even with a recorded output', async () => {
    const ctx = start({ RUNBOOK_PYTHON: '/nonexistent/python3' });
    const step = {
      index: 0,
      kind: 'python',
      line: 1,
      command: 'MESH_IP',
      options: {},
      args: { code: 'MESH_IP' },
      expected: { text: "'10.0.0.1'" },
    } as unknown as Step;
    const run = await runStep(step, ctx, { secrets: [] } as never, {
      timeoutMs: 10_000,
      retryBudgetMs: 0,
      signal: new AbortController().signal,
      now: () => Date.now(),
      sleep: () => Promise.resolve(),
      loadRunner: (() => Promise.resolve(python)) as never,
      onAttempt: () => undefined,
    });
    expect(run.report).toMatchObject({ status: 'skipped', skipReason: '/nonexistent/python3 is not installed: Python cells are skipped' });
  });
});
