/**
 * Waits that cannot succeed on the embedded sandbox. The sandbox's kubeconfig lists, per kind, the states its
 * scheduler never leaves by itself (`permanentStates` in the runbook.dev/seldon extension): a Model whose artefact
 * the sandbox cannot serve stays ModelFailed until it is re-applied. A wait that finds one ends at once, with a
 * runbook diagnostic instead of the tool's timeout message (printing that early would claim a timeout that never
 * happened). A kubeconfig without the list (a real cluster) changes nothing: every wait runs to its own timeout.
 */
import { asSeldonExtension, SELDON_EXTENSION } from '../../src/core/kubeconfig-extension.js';
import type { KubeAccess } from '../../src/core/step.js';
import { loadKubeconfigDoc, type KubeconfigLookup } from '../../src/kube/kubeconfig-files.js';
import { clusterExtension } from '../../src/kube/kubeconfig-connect-to.js';

export type PermanentStates = Readonly<Record<string, readonly string[]>>;

/** A resource found in a state it will not leave: what to call it, the state, and the sandbox's reason. */
export interface Permanent {
  /** `model/iris`, `model.mlops.seldon.io/iris (namespace seldon-mesh)`. */
  what: string;
  state: string;
  reason: string;
  /** What it waits for that is itself permanent (a pipeline's step model): the state then belongs to `cause`. */
  cause?: Permanent;
}

/**
 * The permanent states of the cluster `access` talks to, read from the kubeconfig `lookup` names (the one the step's
 * tool would use); undefined unless that kubeconfig's context is the same cluster and is a sandbox's.
 */
export function permanentStatesOf(lookup: KubeconfigLookup, access: Pick<KubeAccess, 'contextName' | 'server'>): PermanentStates | undefined {
  try {
    const doc = loadKubeconfigDoc(lookup);
    if (!doc) return undefined;
    const context = doc.contexts?.find((c) => c.name === access.contextName)?.context as { cluster?: unknown } | undefined;
    const cluster = doc.clusters?.find((c) => c.name === context?.cluster)?.cluster as { server?: unknown } | undefined;
    // Another file's context of the same name may point elsewhere: only the very cluster the step reached counts.
    if (cluster?.server !== access.server) return undefined;
    return asSeldonExtension(clusterExtension(doc, SELDON_EXTENSION, access.contextName))?.permanentStates;
  } catch {
    return undefined;
  }
}

/** Whether `state` of a `kind` (`Model`) is one the sandbox never leaves, other than the one awaited. */
export function isPermanent(states: PermanentStates | undefined, kind: string, state: string | undefined, awaited?: string): state is string {
  return state !== undefined && state !== awaited && (states?.[kind]?.includes(state) ?? false);
}

/** The one line on stderr and the diagnostics of a wait that ended because it could not succeed. */
export function notWaiting(found: Permanent, timeout: string): { line: string; diagnostics: string[] } {
  const { cause } = found;
  const stuck = cause ?? found;
  const said = (p: Permanent) => `${p.what} is ${p.state}: ${p.reason || '(no reason given)'}`;
  return {
    line: `runbook: not waiting for ${found.what}: ${cause ? `it needs ${cause.what}, which is ${cause.state}` : `it is ${found.state}`}, a state the sandbox never leaves by itself (see diagnostics)`,
    diagnostics: [
      said(found),
      ...(cause ? [said(cause)] : []),
      `the sandbox never leaves ${stuck.state} by itself (only re-applying ${cause ? cause.what : 'the resource'} changes it), so the wait ended now rather than after its ${timeout} timeout; against a real cluster it would wait the whole ${timeout}`,
    ],
  };
}
