/**
 * Runs one runbook, phase by phase: its target cluster (target.ts), its variables (variables.ts), the selected
 * steps in order (step-loop.ts), then the finish (finish.ts), which cleans up and closes whatever happened in the
 * loop, and --update.
 */
import type { Plan } from '../core/model.js';
import type { CleanupReport, RunbookReport } from '../core/events.js';
import { finishRun, updateRecordings } from './finish.js';
import { prefetchBuilds } from './prefetch.js';
import { newProgress } from './progress.js';
import { runbookScope, type RunbookEnv, type RunbookOptions } from './scope.js';
import { planSelection } from './select.js';
import { runSteps } from './step-loop.js';
import { openTarget, type RunTarget } from './target.js';
import { noteInitialSecrets, openVariables, type Variables } from './variables.js';

export { DEFAULT_RETRY_BUDGET_MS, DEFAULT_TIMEOUT_MS, type ProvidedTarget, type RunbookEnv, type RunbookOptions } from './scope.js';

export async function runRunbook(plan: Plan, options: RunbookOptions, env: RunbookEnv): Promise<RunbookReport> {
  const scope = runbookScope(plan, options, env, planSelection(plan, options, env.env));
  const started = scope.now();
  noteInitialSecrets(scope);
  // Builds first: they spawn a process that can work while the Kubernetes client loads.
  prefetchBuilds(
    plan.steps.filter((s) => scope.selected.has(s.index) && !s.options.skip),
    { cwd: scope.cwd, signal: env.signal, cache: scope.cache },
  );
  const progress = newProgress();
  let target: RunTarget | undefined;
  let vars: Variables | undefined;
  let completed = false;
  let cleanup: CleanupReport | undefined;
  try {
    const opened = await openTarget(scope);
    if (!opened.ok) {
      env.reporter.onRunbookStart(plan, opened.target);
      const report: RunbookReport = { file: plan.file, status: 'failed', target: opened.target, steps: [], durationMs: Math.round(scope.now() - started), error: opened.error };
      env.reporter.onRunbookEnd(report);
      return report;
    }
    target = opened;
    env.reporter.onRunbookStart(plan, target.target);
    vars = await openVariables(scope, target);
    await runSteps(scope, target, vars, progress);
    completed = true;
  } finally {
    cleanup = await finishRun({ scope, progress, target, vars, completed });
  }

  const report: RunbookReport = {
    file: plan.file,
    status: progress.failed || env.signal.aborted ? 'failed' : 'passed',
    target: target.target,
    steps: progress.reports,
    durationMs: 0,
    ...(cleanup && { cleanup }),
    ...(progress.quit && { quit: true }),
  };
  if (options.update) {
    const updated = await updateRecordings(plan, progress, env.secrets ?? []);
    if (updated.length > 0) report.updated = updated;
  }
  report.durationMs = Math.round(scope.now() - started);
  env.reporter.onRunbookEnd(report);
  return report;
}
