/**
 * Per-step timeouts abort the step's signal and fail it; the run's default comes from --timeout when given, else
 * the front matter, else 5 minutes. The retry budget of read-only steps follows the same precedence.
 */
import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../src/core/step.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/runner/index.js';
import { md, ok, planFrom, runPlan } from './harness.js';

/** A step that runs until its signal is aborted, then ends as a killed process would. */
const hang = (_args: unknown, ctx: StepContext) =>
  new Promise<ReturnType<typeof ok>>((resolve) => ctx.signal.addEventListener('abort', () => resolve({ stdout: '', stderr: '', exitCode: 143 }), { once: true }));

/** How long the first step was given, as its deadline says (measured when it started). */
async function allowance(frontMatter: string, timeoutMs?: number): Promise<number> {
  let given = 0;
  await runPlan(planFrom(`${frontMatter}${md('echo hi')}`), {
    options: { timeoutMs },
    fakes: { shell: (_args, ctx) => ((given = ctx.deadline - Date.now()), ok()) },
  });
  return given;
}

describe('step timeouts', () => {
  it('a step past its timeout directive has its signal aborted and fails with a timeout error', async () => {
    const run = await runPlan(planFrom(md('sleep 600', undefined, 'timeout=50ms')), { fakes: { shell: hang } });
    expect(run.calls[0]?.signal.aborted).toBe(true);
    expect(run.ended[0]).toMatchObject({ status: 'failed', error: 'timed out after 50ms' });
  });

  it('--timeout applies to steps without a directive', async () => {
    const started = Date.now();
    const run = await runPlan(planFrom(md('sleep 600')), { fakes: { shell: hang }, options: { timeoutMs: 40 } });
    expect(run.ended[0]).toMatchObject({ status: 'failed', error: 'timed out after 40ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('an explicit --timeout beats the front matter, which beats the default', async () => {
    const front = '---\ntimeout: 10m\n---\n\n';
    expect(await allowance(front, 2_000)).toBeGreaterThan(1_000);
    expect(await allowance(front, 2_000)).toBeLessThanOrEqual(2_000);
    expect(await allowance(front)).toBeGreaterThan(9 * 60_000);
    expect(await allowance('')).toBeGreaterThan(DEFAULT_TIMEOUT_MS - 1_000);
    expect(await allowance('')).toBeLessThanOrEqual(DEFAULT_TIMEOUT_MS);
  });

  it('a directive beats --timeout', async () => {
    let given = 0;
    await runPlan(planFrom(md('echo hi', undefined, 'timeout=3s')), {
      options: { timeoutMs: 600_000 },
      fakes: { shell: (_args, ctx) => ((given = ctx.deadline - Date.now()), ok()) },
    });
    expect(given).toBeGreaterThan(2_000);
    expect(given).toBeLessThanOrEqual(3_000);
  });
});

describe('retry budget', () => {
  // A read-only step whose output never matches is retried until the budget is spent (the clock is fake).
  const attempts = async (frontMatter: string, retryBudgetMs?: number) => {
    const run = await runPlan(planFrom(`${frontMatter}${md('kubectl get pods', 'ready', 'read-only')}`), {
      options: { retryBudgetMs },
      fakes: { shell: () => ok('pending\n') },
    });
    return run.ended[0]?.attempts ?? 0;
  };

  it('an explicit --retry-budget beats the front matter, which beats the default', async () => {
    const front = '---\nretry-budget: 10s\n---\n\n';
    expect(await attempts(front, 0)).toBe(1);
    const fromFront = await attempts(front);
    expect(fromFront).toBeGreaterThan(3);
    expect(await attempts('', 10_000)).toBe(fromFront);
    // The default (30 s) allows more attempts than the front matter's 10 s.
    expect(await attempts('')).toBeGreaterThan(fromFront);
  });
});
