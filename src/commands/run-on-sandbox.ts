/**
 * One runbook against a sandbox of its own, started for it and stopped after it: what a worker thread does for
 * each runbook it is sent (run-worker.ts), and what the main thread does for its own share (run-workers.ts).
 */
import type { Reporter, RunbookReport } from '../core/events.js';
import type { Plan } from '../core/model.js';
import type { RunbookEnv, RunbookOptions } from '../runner/runbook.js';
import type { SandboxOptions } from '../sandbox/types.js';

export interface SandboxRunEnv extends Pick<RunbookEnv, 'signal' | 'cleanupSignal' | 'secrets' | 'loadKube'> {
  reporter: Required<Reporter>;
}

export async function runOnSandbox(plan: Plan, options: RunbookOptions, sandbox: SandboxOptions, env: SandboxRunEnv): Promise<RunbookReport> {
  const [{ runRunbook }, { sandboxLease }] = await Promise.all([import('../runner/runbook.js'), import('./run-sandbox.js')]);
  const lease = await sandboxLease(sandbox);
  try {
    return await runRunbook(plan, options, { ...env, env: process.env, provided: { kubeconfig: lease.kubeconfig, connectTo: lease.connectTo } });
  } finally {
    await lease.release();
  }
}
