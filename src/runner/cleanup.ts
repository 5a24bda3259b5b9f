/**
 * The cleanup guarantee: after a failed or interrupted run, delete what this run created, and nothing else.
 * First the runbook's own delete steps for sections whose applies only created objects (they know the order),
 * then any created object still present, by name, newest first.
 */
import type { DeleteArgs, Plan } from '../core/model.js';
import type { ConnectTo, KubeAccess, StepContext, TouchedObject } from '../core/step.js';
import type { CleanupReport } from '../core/events.js';
import type { LoadRunner } from './step.js';

export interface CleanupInput {
  plan: Plan;
  /** Every object apply steps touched, in order, with their outcome. */
  applied: TouchedObject[];
  ranSteps: Set<number>;
  kube: () => Promise<KubeAccess>;
  cwd: string;
  vars: Record<string, string>;
  connectTo: ConnectTo[];
  cache: Map<string, unknown>;
  loadRunner: LoadRunner;
}

/** Cleanup gets its own time, independent of the interrupted run's signal. */
const CLEANUP_TIMEOUT_MS = 60_000;

export async function cleanup(input: CleanupInput): Promise<CleanupReport> {
  const created = input.applied.filter((o) => o.outcome === 'created');
  const preExisting = new Set(input.applied.filter((o) => o.outcome !== 'created').map(key));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('cleanup timed out')), CLEANUP_TIMEOUT_MS);
  const ctx: StepContext = {
    cwd: input.cwd,
    vars: input.vars,
    kube: input.kube,
    connectTo: input.connectTo,
    cache: input.cache,
    signal: controller.signal,
    deadline: Date.now() + CLEANUP_TIMEOUT_MS,
    write: () => undefined,
  };
  const del = await input.loadRunner('delete');
  try {
    // The runbook's own delete steps, when they cannot touch an object that existed before the run.
    for (const step of input.plan.steps) {
      if (step.kind !== 'delete' || input.ranSteps.has(step.index) || preExisting.size > 0) continue;
      if (!sectionApplied(input, step.heading)) continue;
      await del.run({ ...step.args, ignoreNotFound: true }, ctx).catch(() => undefined);
    }
    const left: CleanupReport['left'] = [];
    // Newest first: what was created last may depend on what came before it (a Model on its Server, anything on
    // its Namespace), as a runbook's own teardown would go.
    for (const object of [...created].reverse()) {
      const args: DeleteArgs = {
        target: { type: 'names', resource: resourceOf(object), names: [object.name], all: false },
        namespace: object.namespace,
        ignoreNotFound: true,
        wait: true,
      };
      const result = await del.run(args, ctx).catch((error: unknown) => ({
        stdout: '',
        stderr: error instanceof Error ? error.message : String(error),
        exitCode: 1,
      }));
      if (result.exitCode !== 0) left.push({ object: describe(object), reason: result.stderr.trim() || `exit ${result.exitCode}` });
    }
    return { disabled: false, deleted: created.length - left.length, left };
  } finally {
    clearTimeout(timer);
  }
}

function sectionApplied(input: CleanupInput, heading: string | undefined): boolean {
  return input.plan.steps.some((s) => s.kind === 'apply' && s.heading === heading && input.ranSteps.has(s.index));
}

function key(o: TouchedObject): string {
  return `${o.apiVersion}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

/** `model.mlops.seldon.io` for grouped kinds, `service` for the core group, as kubectl accepts them. */
function resourceOf(o: TouchedObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return group ? `${o.kind.toLowerCase()}.${group}` : o.kind.toLowerCase();
}

function describe(o: TouchedObject): string {
  return `${resourceOf(o)}/${o.name}${o.namespace ? ` -n ${o.namespace}` : ''}`;
}
