import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { shell } from '../../steps/shell.js';
import type { StepContext } from '../../src/core/step.js';

function context(extra: Partial<StepContext> = {}): StepContext & { chunks: [string, string, number][] } {
  const chunks: [string, string, number][] = [];
  return {
    cwd: tmpdir(),
    vars: {},
    kube: () => Promise.reject(new Error('no kube in shell tests')),
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    connectTo: [],
    write: (stream, chunk) => chunks.push([stream, chunk, Date.now()]),
    cache: new Map(),
    chunks,
    ...extra,
  };
}

describe('shell step', () => {
  it('runs bash in the runbook folder with variables exported, never spliced into the text', async () => {
    const ctx = context({ vars: { GREETING: 'a $(touch /tmp/runbook-pwned) "b"' } });
    const out = await shell.run({ script: 'pwd; echo "$GREETING"; echo err >&2' }, ctx);
    expect(out).toMatchObject({ stdout: `${tmpdir()}\na $(touch /tmp/runbook-pwned) "b"\n`, stderr: 'err\n', exitCode: 0 });
  });

  it('fails a pipeline whose first command fails (pipefail) with its exit status', async () => {
    const out = await shell.run({ script: 'exit_three() { return 3; }; exit_three | cat' }, context());
    expect(out.exitCode).toBe(3);
  });

  it('reports a shell killed by a signal as 128 + its number, as bash reports it', async () => {
    // The last command is exec'd by bash -c, so the step's own process dies of the signal.
    expect((await shell.run({ script: 'kill -SEGV $$' }, context())).exitCode).toBe(139);
    expect((await shell.run({ script: 'kill -ABRT $$' }, context())).exitCode).toBe(134);
  });

  it('streams output as it comes', async () => {
    const ctx = context();
    const started = Date.now();
    await shell.run({ script: 'echo first; sleep 0.4; echo second' }, ctx);
    const first = ctx.chunks.find(([, c]) => c.includes('first'));
    expect(first && first[2] - started).toBeLessThan(300);
  });

  it('kills the whole process group on abort, grandchildren included', async () => {
    const controller = new AbortController();
    const ctx = context({ signal: controller.signal });
    const pending = shell.run({ script: '(sleep 30; echo leaked) | cat & echo $! ; sleep 30' }, ctx);
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const out = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out.exitCode).toBe(143);
    expect(out.diagnostics?.[0]).toMatch(/killed \(process group\)/);
    expect(out.stdout).not.toContain('leaked');
  });

  it('kills at the deadline', async () => {
    const out = await shell.run({ script: 'sleep 10' }, context({ deadline: Date.now() + 150 }));
    expect(out.exitCode).toBe(143);
    expect(out.diagnostics?.[0]).toMatch(/deadline/);
  });
});
