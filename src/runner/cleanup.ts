/**
 * The cleanup guarantee: after a failed or interrupted run, delete what this run created, and nothing else.
 * First the runbook's own delete steps for sections whose applies only created objects (they know the order),
 * then any created object still present, by name, newest first.
 */
import type { DeleteArgs, Plan } from '../core/model.js';
import type { ConnectTo, KubeAccess, StepContext, TouchedObject } from '../core/step.js';
import type { CleanupReport } from '../core/events.js';
import type { LoadRunner } from './step.js';
import { SELDON_LOADED } from '../../steps/seldon/printed.js';

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
  /** Aborted by a second interrupt: stop at once and report what is left. */
  signal?: AbortSignal;
  /** The --kubeconfig and --context the run used, for the delete command of what is left. */
  kubeconfig?: string;
  context?: string;
}

/** Cleanup gets its own time, independent of the interrupted run's signal. */
const CLEANUP_TIMEOUT_MS = 60_000;

export async function cleanup(input: CleanupInput): Promise<CleanupReport> {
  const created = input.applied.filter((o) => o.outcome === 'created');
  const preExisting = new Set(input.applied.filter((o) => o.outcome !== 'created').map(key));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('cleanup timed out')), CLEANUP_TIMEOUT_MS);
  const onInterrupt = () => controller.abort(new Error('interrupted'));
  if (input.signal?.aborted) onInterrupt();
  input.signal?.addEventListener('abort', onInterrupt, { once: true });
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
      if (controller.signal.aborted) break;
      if (step.kind !== 'delete' || input.ranSteps.has(step.index) || preExisting.size > 0) continue;
      if (!sectionApplied(input, step.heading)) continue;
      await del.run({ ...step.args, ignoreNotFound: true }, ctx).catch(() => undefined);
    }
    const left: TouchedObject[] = [];
    const reasons: string[] = [];
    const leave = (object: TouchedObject, reason: string) => (left.push(object), reasons.push(reason));
    // Newest first: what was created last may depend on what came before it (a Model on its Server, anything on
    // its Namespace), as a runbook's own teardown would go.
    for (const object of [...created].reverse()) {
      if (controller.signal.aborted) {
        leave(object, reasonText(controller.signal.reason));
        continue;
      }
      const args: DeleteArgs = {
        target: { type: 'names', resource: resourceOf(object), names: [object.name], all: false },
        namespace: object.namespace,
        ignoreNotFound: true,
        wait: true,
      };
      const result = await (loadedBySeldon(object) ? unloadBySeldon(object, input, ctx) : del.run(args, ctx)).catch((error: unknown) => ({
        stdout: '',
        stderr: error instanceof Error ? error.message : String(error),
        exitCode: 1,
      }));
      if (result.exitCode === 0) continue;
      // A delete cut short by the interrupt or the time limit says so, not what the aborted request printed.
      leave(object, controller.signal.aborted ? reasonText(controller.signal.reason) : result.stderr.trim() || `exit ${result.exitCode}`);
    }
    return { disabled: false, deleted: created.length - left.length, ...leftReport(left, reasons, input) };
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onInterrupt);
  }
}

/**
 * What --no-cleanup leaves: every object the run created and did not delete itself, newest first (the order a
 * delete should go), with the command that deletes them.
 */
export function notCleanedUp(applied: readonly TouchedObject[], kube: { kubeconfig?: string; context?: string }): CleanupReport {
  const created = applied.filter((o) => o.outcome === 'created').reverse();
  return { disabled: true, deleted: 0, ...leftReport(created, created.map(() => '--no-cleanup'), kube) };
}

function leftReport(
  left: readonly TouchedObject[],
  reasons: readonly string[],
  kube: { kubeconfig?: string; context?: string },
): Pick<CleanupReport, 'left' | 'deleteCommand'> {
  const report = { left: left.map((o, i) => ({ object: describe(o), reason: reasons[i] ?? '' })) };
  return left.length > 0 ? { ...report, deleteCommand: deleteCommand(left, kube) } : report;
}

/**
 * One `kubectl delete` per namespace (cluster-scoped objects in their own), in the order given, with the run's
 * --kubeconfig and --context so it reaches the same cluster: `kubectl --context kind-seldon delete -n seldon-mesh
 * virtualservice.networking.istio.io/iris model.mlops.seldon.io/iris`.
 */
export function deleteCommand(objects: readonly TouchedObject[], kube: { kubeconfig?: string; context?: string }): string {
  const groups = new Map<string, string[]>();
  for (const o of objects) {
    const names = groups.get(o.namespace ?? '') ?? [];
    names.push(`${resourceOf(o)}/${o.name}`);
    groups.set(o.namespace ?? '', names);
  }
  const flags = [kube.kubeconfig && `--kubeconfig ${shellWord(kube.kubeconfig)}`, kube.context && `--context ${shellWord(kube.context)}`].filter(Boolean);
  return [...groups]
    .map(([namespace, names]) => ['kubectl', ...flags, 'delete', ...(namespace ? ['-n', shellWord(namespace)] : []), ...names.map(shellWord)].join(' '))
    .join('; ');
}

/** A word as the shell reads it back: bare when it is plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What a `seldon … load/start` step loaded: it has no resource to delete, the scheduler unloads it. */
function loadedBySeldon(o: TouchedObject): boolean {
  return o.manifest?.[SELDON_LOADED] === true;
}

/** `seldon model|pipeline unload NAME` (`experiment stop`); one that is gone already counts as unloaded. */
async function unloadBySeldon(o: TouchedObject, input: CleanupInput, ctx: StepContext): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const resource = o.kind === 'Pipeline' ? 'pipeline' : o.kind === 'Experiment' ? 'experiment' : 'model';
  const runner = await input.loadRunner('seldon');
  const result = await runner.run({ command: { verb: 'unload', resource, name: o.name }, hosts: {}, verbose: false }, ctx);
  return result.exitCode !== 0 && /not found|failed to find/i.test(result.stderr) ? { ...result, exitCode: 0 } : result;
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
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
