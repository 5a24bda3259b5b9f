/**
 * Runs many runbooks: sharding, a concurrency pool, a target per runbook when the command provides one (the
 * sandbox), and the run report. Every event goes through one fan-out, which redacts it (fanout.ts).
 */
import type { Plan } from '../core/model.js';
import type { Reporter, RunbookReport, RunReport } from '../core/events.js';
import { fanOut, redactingGate } from './fanout.js';
import { safeConcurrency } from './concurrency.js';
import { planSelection } from './select.js';
import { runRunbook, type ProvidedTarget, type RunbookEnv, type RunbookOptions } from './runbook.js';
import { monotonicMs } from './clock.js';

export { DEFAULT_RETRY_BUDGET_MS, DEFAULT_TIMEOUT_MS, type ProvidedTarget, type RunbookOptions } from './runbook.js';
export type { LoadRunner } from './step.js';

export interface RunOptions extends RunbookOptions {
  concurrency: number;
  shard?: { index: number; total: number };
}

/** A target the command holds for one runbook's run, released when that runbook ends. */
export interface TargetLease extends ProvidedTarget {
  release(): Promise<void>;
}

export interface RunEnv extends Omit<RunbookEnv, 'reporter' | 'provided'> {
  reporters: Reporter[];
  /** Called before each runbook when the command provides its cluster (`--sandbox` starts one per runbook). */
  provideTarget?: (plan: Plan) => Promise<TargetLease>;
  /**
   * Runs one runbook somewhere else (a worker thread, commands/run-workers.ts) instead of in this thread, target
   * included; its events come through `reporter`, the fan-out, as a runbook's run here sends them.
   */
  runElsewhere?: (plan: Plan, reporter: Required<Reporter>) => Promise<RunbookReport>;
}

export async function runAll(plans: Plan[], options: RunOptions, env: RunEnv): Promise<RunReport> {
  const started = monotonicMs();
  // One array, read at every event: the runner adds secrets to it as variables appear.
  const secrets = env.secrets ?? [];
  const reporter = fanOut(env.reporters, secrets);
  const gate = options.gate && redactingGate(options.gate, secrets);
  const runbookOptions: RunbookOptions = { ...options, gate };
  // Every runbook's selection is checked before any runs: a selector that picks nothing is a usage error (exit 2).
  for (const plan of plans) planSelection(plan, options, env.env);
  // Runbooks that share one real cluster run one at a time unless they write to distinct namespaces.
  const { concurrency, note } = await safeConcurrency(plans, options.concurrency, { sandboxPerRunbook: env.provideTarget !== undefined || env.runElsewhere !== undefined, context: options.context });
  reporter.onRunStart(
    plans.map((p) => ({ file: p.file, steps: p.steps.length })),
    note ? [note] : undefined,
  );
  const reports: (RunbookReport | undefined)[] = new Array<RunbookReport | undefined>(plans.length);
  let next = 0;
  const worker = async () => {
    // After a quit nothing more starts: no sandbox, no runbook that would only report skipped steps.
    for (let i = next++; i < plans.length && !env.signal.aborted && !reports.some((r) => r?.quit); i = next++) {
      const plan = plans[i];
      if (plan) reports[i] = env.runElsewhere ? await env.runElsewhere(plan, reporter) : await runOne(plan, runbookOptions, { ...env, secrets, reporter });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, plans.length)) }, worker));
  const done = reports.filter((r): r is RunbookReport => r !== undefined);
  const steps = done.flatMap((r) => r.steps);
  const report: RunReport = {
    runbooks: done,
    summary: {
      passed: steps.filter((s) => s.status === 'passed').length,
      failed: steps.filter((s) => s.status === 'failed').length + done.filter((r) => r.error).length,
      updated: steps.filter((s) => s.status === 'updated').length,
      skipped: steps.filter((s) => s.status === 'skipped').length,
      durationMs: Math.round(monotonicMs() - started),
    },
    interrupted: env.signal.aborted,
  };
  await reporter.onRunEnd(report);
  return report;
}

async function runOne(plan: Plan, options: RunbookOptions, env: RunEnv & { reporter: Required<Reporter> }): Promise<RunbookReport> {
  if (!env.provideTarget) return runRunbook(plan, options, env);
  const lease = await env.provideTarget(plan);
  try {
    return await runRunbook(plan, options, { ...env, provided: { kubeconfig: lease.kubeconfig, connectTo: lease.connectTo } });
  } finally {
    await lease.release();
  }
}
