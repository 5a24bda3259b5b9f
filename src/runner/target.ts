/**
 * The first phase: which cluster the runbook runs against. Kube access is loaded lazily (only when a step or a
 * context guard needs it), the context is checked against the runbook's `contexts:` and --require-context before
 * anything runs, and the connect-to mappings are gathered from the flags and the kubeconfig.
 */
import { kubeKinds } from '../../steps/index.js';
import type { Plan } from '../core/model.js';
import type { ConnectTo, KubeAccess } from '../core/step.js';
import type { Target } from '../core/events.js';
import { connectToFlag, kubeconfigConnectTo } from './connect.js';
import type { RunbookScope } from './scope.js';

export interface RunTarget {
  /** Shown to reporters; undefined when nothing needed the cluster. */
  target?: Target;
  kube: () => Promise<KubeAccess>;
  /** The kubeconfig file and context the run uses (shell steps get them too). */
  kubeconfig?: string;
  context?: string;
  connectTo: ConnectTo[];
}

export type OpenedTarget = ({ ok: true } & RunTarget) | { ok: false; error: string; target?: Target };

export async function openTarget(scope: RunbookScope): Promise<OpenedTarget> {
  const { plan, options, env } = scope;
  const provided = env.provided;
  // A cluster the command started for this runbook replaces --kubeconfig and --context (the command refuses both).
  const kubeconfig = provided ? provided.kubeconfig : options.kubeconfig;
  const context = provided ? undefined : options.context;
  let access: Promise<KubeAccess> | undefined;
  const kube = () => (access ??= env.loadKube(kubeconfig, context));
  // A bad --connect-to is a usage error (exit 2), not this runbook's failure: it throws out of the run.
  const connectTo = options.connectTo.map(connectToFlag);
  let target: Target | undefined;
  try {
    const needsKube = plan.steps.some((s) => scope.selected.has(s.index) && kubeKinds[s.kind]);
    // A runbook that names its contexts (or a run that requires one) is checked even when its cluster work is
    // all shell commands such as `kubectl create`, which the runner cannot see.
    const guarded = options.requireContext !== undefined || (plan.frontMatter.contexts?.length ?? 0) > 0;
    if (needsKube || provided || guarded) {
      const k = await kube();
      target = { context: k.contextName, server: k.server, sandbox: provided !== undefined };
      guardContext(plan, target, options.requireContext);
    }
    // A provided target names its mappings; otherwise the kubeconfig kubectl would use (flag, else the KUBECONFIG
    // list, else ~/.kube/config) may, in its extension (an external sandbox's ingress, seldon-mesh, scheduler).
    if (provided) connectTo.push(...provided.connectTo.map(connectToFlag));
    else connectTo.push(...(await kubeconfigConnectTo(kubeconfig, target?.context ?? context, env.env)));
    return { ok: true, target, kube, kubeconfig, context, connectTo };
  } catch (error) {
    return { ok: false, error: message(error), target };
  }
}

/** Refuses a context that the front matter's `contexts:` patterns or `--require-context` do not allow. */
function guardContext(plan: Plan, target: Target, required: string | undefined): void {
  if (required !== undefined && target.context !== required) {
    throw new Error(`current context is "${target.context}" but --require-context asks for "${required}"; nothing was run`);
  }
  const patterns = plan.frontMatter.contexts;
  if (patterns && patterns.length > 0 && !target.sandbox && !patterns.some((p) => globMatch(p, target.context))) {
    throw new Error(
      `context "${target.context}" (${target.server}) does not match the runbook's contexts: ${patterns.join(', ')}; nothing was run`,
    );
  }
}

function globMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(text);
}

function message(error: unknown): string {
  if (error instanceof Error && 'format' in error && typeof error.format === 'function') return String(error.format());
  return error instanceof Error ? error.message : String(error);
}
