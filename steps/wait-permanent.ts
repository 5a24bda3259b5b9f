/**
 * The wait step on the embedded sandbox: which Seldon resources are in a state the sandbox never leaves by itself
 * (steps/seldon/permanent.ts), read from what the API server shows (the operator's conditions), and what the step
 * then returns instead of waiting for its timeout. Used only when the step's kubeconfig is a sandbox's.
 */
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeTarget } from '../src/kube/access.js';
import { kindSlashName, objectPath } from '../src/kube/discovery.js';
import type { Selected } from '../src/kube/select.js';
import type { KubeObj } from '../src/kube/watch.js';
import type { WaitArgs } from '../src/core/model.js';
import type { StepContext, StepOutput } from '../src/core/step.js';
import { isPermanent, notWaiting, permanentStatesOf, type Permanent, type PermanentStates } from './seldon/permanent.js';

const SELDON_GROUP = 'mlops.seldon.io';
/** How often a pipeline's step models are looked at while it is not ready (their changes do not touch it). */
const STEP_MODELS_MS = 250;

type Condition = { type?: string; status?: string; reason?: string; message?: string };

/** The sandbox's permanent states, when the step's kubeconfig is a sandbox's; undefined for any other cluster. */
export function sandboxStates(args: WaitArgs, target: KubeTarget, ctx: StepContext): PermanentStates | undefined {
  // The kubeconfig kubectl would read: the step's own --kubeconfig, else the run's KUBECONFIG.
  const lookup = args.kubeconfig ? { kubeconfig: path.resolve(ctx.cwd, args.kubeconfig) } : { env: { ...process.env, ...ctx.vars } };
  return permanentStatesOf(lookup, target.access);
}

const named = (s: Selected) => `${kindSlashName(s.mapping, s.name)}${s.namespace ? ` (namespace ${s.namespace})` : ''}`;

/** The status of `object` when it describes the current spec and the object is not being deleted. */
function currentStatus(object: KubeObj | undefined): { conditions?: Condition[] } | undefined {
  if (!object) return undefined;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const status = object.status as { observedGeneration?: number; conditions?: Condition[] } | undefined;
  return metadata?.deletionTimestamp || status?.observedGeneration !== metadata?.generation ? undefined : status;
}

/**
 * The permanent state of a Seldon resource, read as Seldon's operator writes it: a False condition whose message is
 * the scheduler's state and whose reason is the scheduler's reason.
 */
export function permanentState(s: Selected, object: KubeObj | undefined, states: PermanentStates | undefined): Permanent | undefined {
  if (!states?.[s.mapping.kind] || s.mapping.group !== SELDON_GROUP) return undefined;
  const failed = currentStatus(object)?.conditions?.find((c) => c.status === 'False' && isPermanent(states, s.mapping.kind, c.message));
  return failed?.message ? { what: named(s), state: failed.message, reason: failed.reason ?? '' } : undefined;
}

/**
 * The Models a Seldon resource becomes ready only after (every one available), and its condition that says it is
 * not ready yet: a Pipeline's step models; a model Experiment's candidates and mirror.
 */
function neededModels(kind: string, spec: Record<string, unknown> | undefined): { condition: string; models: string[] } | undefined {
  const names = (list: unknown) => (Array.isArray(list) ? (list as { name?: unknown }[]).map((x) => String(x.name ?? '')) : []);
  if (kind === 'Pipeline') return { condition: 'PipelineReady', models: names(spec?.steps) };
  if (kind === 'Experiment' && spec?.resourceType !== 'pipeline') return { condition: 'ExperimentReady', models: names([...((spec?.candidates as unknown[]) ?? []), ...(spec?.mirror ? [spec.mirror] : [])]) };
  return undefined;
}

/**
 * For a Pipeline or Experiment awaited: resolves with the first Model it needs found in a permanent state, looking
 * again while `signal` lasts; undefined once aborted. A model's failure does not touch the status of what needs it,
 * so watching that alone would never see it.
 */
export async function stuckStepModel(s: Selected, target: KubeTarget, states: PermanentStates, current: () => KubeObj | undefined, signal: AbortSignal): Promise<Permanent | undefined> {
  if (s.mapping.group !== SELDON_GROUP || !neededModels(s.mapping.kind, {}) || !states.Model) return undefined;
  const models = { ...s.mapping, kind: 'Model', resource: 'models', singular: 'model', shortNames: [] };
  while (!signal.aborted) {
    const object = current();
    const needed = neededModels(s.mapping.kind, object?.spec as Record<string, unknown> | undefined);
    const waiting = currentStatus(object)?.conditions?.find((c) => c.type === needed?.condition && c.status !== 'True');
    for (const name of waiting ? (needed?.models ?? []) : []) {
      const response = await target.client.request('GET', objectPath(models, s.namespace, name), { signal }).catch(() => undefined);
      const model = response?.status === 200 ? (JSON.parse(response.text) as KubeObj) : undefined;
      const cause = permanentState({ mapping: models, namespace: s.namespace, name }, model, states);
      if (cause && waiting) return { what: named(s), state: waiting.message ?? 'not ready', reason: waiting.reason ?? '', cause };
    }
    await delay(STEP_MODELS_MS, undefined, { signal }).catch(() => undefined);
  }
  return undefined;
}

/**
 * A wait that cannot succeed: what kubectl printed so far, a runbook line instead of kubectl's timeout message (it
 * never timed out), and why. Nothing is left pending, so the runner does not wait to try it again.
 */
export function stopped(found: Permanent[], stdout: string, met: string[], args: WaitArgs, ctx: StepContext): StepOutput {
  const timeout = formatTimeout(args.timeoutMs);
  const [first, ...others] = found;
  const { line, diagnostics } = notWaiting(first!, timeout);
  for (const other of others) diagnostics.push(...notWaiting(other, timeout).diagnostics.slice(0, other.cause ? 2 : 1));
  const stderr = `${line}\n`;
  ctx.write('stderr', stderr);
  return { stdout, stderr, exitCode: 1, data: { type: 'wait', met, pending: [] }, diagnostics };
}

/** `--timeout` as written in kubectl's units. */
function formatTimeout(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
