/** Shared by the python step tests: a step context, and whether python3 on PATH can import IPython. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StepContext } from '../../src/core/step.js';
import { closeCache, stepContext } from './context.js';

export type TestContext = StepContext & { chunks: [string, string][]; close(): Promise<void> };

/** A context whose cache holds the run's kernel; `close()` ends it as the runner does when the runbook ends. */
export function context(vars: Record<string, string> = {}, extra: Partial<StepContext> = {}): TestContext {
  const chunks: [string, string][] = [];
  const cache = new Map<string, unknown>();
  const cwd = mkdtempSync(path.join(tmpdir(), 'runbook-python-'));
  return {
    ...stepContext({
      cwd,
      vars: { ...process.env, ...vars } as Record<string, string>,
      deadline: Date.now() + 30_000,
      write: (stream, chunk) => chunks.push([stream, chunk]),
      cache,
      ...extra,
    }),
    chunks,
    close: async () => {
      await closeCache(cache);
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** Whether `python3` on PATH has IPython (the tests of IPython's own semantics need it). */
export function hasIPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import IPython'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}
