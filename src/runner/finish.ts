/**
 * The last phase, which runs however the step loop ended (a failure, an interrupt, a quit, or an exception):
 * delete what this run created unless it passed, close the per-run resources, remove the temporary kubeconfig.
 * Then, for a run that finished, --update rewrites the recorded outputs that differ.
 */
import { readFile as readFileCallback } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Plan } from '../core/model.js';
import type { TouchedObject } from '../core/step.js';
import type { CleanupReport } from '../core/events.js';
import { redact } from '../core/redact.js';
import { cleanup, notCleanedUp } from './cleanup.js';
import type { RunProgress } from './progress.js';
import type { RunbookScope } from './scope.js';
import type { RunTarget } from './target.js';
import type { Variables } from './variables.js';

// node:fs's callbacks, promisified, not node:fs/promises: that module (and the readline and stream modules it loads)
// costs ~1.4 ms of every run's start, and nothing else in a one-echo run needs it.
const readFile = promisify(readFileCallback);

export interface FinishInput {
  scope: RunbookScope;
  progress: RunProgress;
  /** Absent when the target could not be opened (then nothing ran). */
  target?: RunTarget;
  vars?: Variables;
  /** False when the step loop threw: what it created is cleaned up as after a failure. */
  completed: boolean;
}

/** Returns the cleanup's report when one was due. Every duty is attempted even if an earlier one fails. */
export async function finishRun(input: FinishInput): Promise<CleanupReport | undefined> {
  const { scope, progress, target } = input;
  try {
    const due = !input.completed || progress.failed || progress.quit || scope.env.signal.aborted;
    return due && target ? await cleanupAfter(input, target) : undefined;
  } finally {
    await closeAll(scope.cache);
    await input.vars?.dispose();
  }
}

async function cleanupAfter({ scope, progress, vars }: FinishInput, target: RunTarget): Promise<CleanupReport | undefined> {
  const gone = new Set(progress.deleted.map(objectKey));
  const remaining = progress.applied.filter((o) => !gone.has(objectKey(o)));
  if (!remaining.some((o) => o.outcome === 'created')) return undefined;
  // What is left is deleted with the cluster the run was told to use (a sandbox's kubeconfig goes with it).
  const given = scope.env.provided ? undefined : target.kubeconfig;
  const kube = { kubeconfig: given && path.resolve(given), context: target.context };
  const report = scope.options.cleanup
    ? await cleanup({
        plan: scope.plan,
        applied: remaining,
        ranSteps: progress.ranSteps,
        kube: target.kube,
        cwd: scope.cwd,
        vars: { ...vars?.values },
        connectTo: target.connectTo,
        cache: scope.cache,
        loadRunner: scope.loadRunner,
        signal: scope.env.cleanupSignal,
        ...kube,
      })
    : notCleanedUp(remaining, kube);
  scope.env.reporter.onCleanup(scope.plan.file, report);
  return report;
}

/** Objects are the same across apply and delete when kind, namespace and name agree (versions may differ). */
function objectKey(o: TouchedObject): string {
  return `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

/** Per-run resources that steps keep in the cache (HTTP pools, watches) end with the runbook. */
async function closeAll(cache: Map<string, unknown>): Promise<void> {
  const closable = [...cache.values()].filter(
    (v): v is { close(): unknown } => typeof v === 'object' && v !== null && typeof (v as { close?: unknown }).close === 'function',
  );
  await Promise.all(closable.map(async (v) => v.close())).catch(() => undefined);
}

/**
 * --update: the recorded outputs that differ get what the steps printed, redacted as reporters show it (a token
 * the run saw must not land in the runbook). The file is written only when it changes. Returns the steps updated.
 */
export async function updateRecordings(plan: Plan, progress: RunProgress, secrets: readonly string[]): Promise<number[]> {
  const { applyUpdates, writeFileAtomic } = await import('../update/index.js');
  const { recordedForm } = await import('../match/index.js');
  const { joinedOutput } = await import('./cell.js');
  const updates = plan.steps.flatMap((step) => {
    // A cell's one recording sits on its last step and is rewritten once, with what all its steps printed.
    const cell = step.cell && step.cell.last > step.cell.first ? step.cell : undefined;
    if (cell && step.index !== cell.last) return [];
    const members = cell ? plan.steps.slice(cell.first, cell.last + 1) : [step];
    // Steps that differ, and steps with nothing recorded that printed something: they get their first recording.
    const unrecorded = !step.expected && step.options.expect !== 'ignore';
    const differs = members.some((s) => progress.mismatched.has(s.index));
    const outputs = members.map((s) => progress.outputs.get(s.index));
    if (!(differs || unrecorded) || outputs.every((o) => o === undefined)) return [];
    const actual = redact(cell ? joinedOutput(members, outputs) : recordedForm(step, outputs[0]!), secrets);
    return !unrecorded || actual !== '' ? [{ step, actual }] : [];
  });
  if (updates.length === 0) return [];
  const original = await readFile(plan.file);
  const next = applyUpdates(plan.file, original, updates);
  if (Buffer.compare(Buffer.from(next), original) !== 0) await writeFileAtomic(plan.file, next);
  return updates.map((u) => u.step.index);
}
