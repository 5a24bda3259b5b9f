/**
 * `--concurrency N` against one real cluster: runbooks that apply into the same namespace race (one's cleanup
 * deletes what the other just created, one's `kubectl delete` tears down the other's model). They run one at a
 * time, with a note saying why, unless every runbook's apply and delete steps visibly target namespaces no other
 * runbook touches. A sandbox per runbook (--sandbox) never races.
 */
import path from 'node:path';
import type { Plan, Step } from '../core/model.js';
import type { loadManifests } from '../kube/manifests.js';
import { isReadOnly } from '../match/read-only.js';

export interface SafeConcurrency {
  concurrency: number;
  /** Set when the concurrency asked for was lowered: the run-level note reporters show. */
  note?: string;
}

/** The namespaces a plan writes to, or why they cannot be known before it runs. */
type Footprint = { namespaces: Set<string> } | { unknown: string };

export async function safeConcurrency(
  plans: readonly Plan[],
  asked: number,
  shared: { sandboxPerRunbook: boolean; context?: string },
): Promise<SafeConcurrency> {
  if (asked <= 1 || plans.length <= 1 || shared.sandboxPerRunbook) return { concurrency: asked };
  const cluster = shared.context ? `context "${shared.context}"` : 'the current context';
  const serial = (why: string): SafeConcurrency => ({
    concurrency: 1,
    note: `--concurrency ${asked}: running the runbooks one at a time, because they share the cluster of ${cluster} and ${why}, so one runbook's cleanup could delete another's objects`,
  });
  const seen = new Map<string, string>();
  for (const plan of plans) {
    const footprint = await footprintOf(plan);
    if ('unknown' in footprint) return serial(`${plan.file} ${footprint.unknown}`);
    for (const ns of footprint.namespaces) {
      const other = seen.get(ns);
      if (other !== undefined && other !== plan.file) return serial(`${other} and ${plan.file} both write to namespace ${ns}`);
      seen.set(ns, plan.file);
    }
  }
  return { concurrency: asked };
}

const DEFAULT_NS = '(the default namespace)';
const CLUSTER = '(cluster-scoped objects)';

async function footprintOf(plan: Plan): Promise<Footprint> {
  const namespaces = new Set<string>();
  const cwd = path.dirname(path.resolve(plan.file));
  for (const step of plan.steps) {
    const found = await stepNamespaces(step, cwd);
    if ('unknown' in found) return found;
    for (const ns of found.namespaces) namespaces.add(ns);
  }
  return { namespaces };
}

async function stepNamespaces(step: Step, cwd: string): Promise<Footprint> {
  switch (step.kind) {
    case 'apply':
      return manifestNamespaces(step, step.args.source, step.args.namespace, cwd);
    case 'delete':
      return step.args.target.type === 'manifests'
        ? manifestNamespaces(step, step.args.target.source, step.args.namespace, cwd)
        : flagNamespace(step, step.args.namespace);
    case 'seldon':
      // A load goes to the scheduler's own namespace, which no flag of the command names; reads are harmless.
      return isReadOnly(step) ? { namespaces: new Set() } : { unknown: `loads or unloads through Seldon's scheduler (step ${step.index})` };
    case 'build':
    case 'wait':
    case 'curl':
    case 'grpcurl':
    case 'capture':
    case 'shell':
    case 'python':
    case 'writefile':
    case 'env':
      // They create nothing that cleanup deletes.
      return { namespaces: new Set() };
  }
}

function flagNamespace(step: Step, namespace: string | undefined): Footprint {
  if (namespace?.includes('$')) return { unknown: `names its namespace through a variable (step ${step.index})` };
  return { namespaces: new Set([namespace ?? DEFAULT_NS]) };
}

async function manifestNamespaces(step: Step, source: Parameters<typeof loadManifests>[0], flag: string | undefined, cwd: string): Promise<Footprint> {
  if (source.type === 'build' || source.type === 'kustomize') {
    return { unknown: `applies a kustomize build (step ${step.index}), whose namespaces are known only when it runs` };
  }
  if (flag?.includes('$') || (source.type === 'files' && source.paths.some((p) => p.includes('$')))) {
    return { unknown: `names its manifests or namespace through a variable (step ${step.index})` };
  }
  // Loaded here, not at the top: a run of one runbook, or of runbooks with a sandbox each, never needs manifests (or yaml).
  const manifests = await import('../kube/manifests.js');
  const loaded = await manifests.loadManifests(source, { cwd, signal: AbortSignal.timeout(10_000), cache: new Map() }).catch(() => undefined);
  if (!loaded || loaded.errors.length > 0) return { unknown: `has manifests that could not be read (step ${step.index})` };
  const namespaces = new Set<string>();
  for (const { object } of loaded.manifests) {
    if (object.kind === 'Namespace' && typeof object.metadata.name === 'string') namespaces.add(object.metadata.name);
    else if (clusterScoped.has(object.kind)) namespaces.add(CLUSTER);
    else namespaces.add(object.metadata.namespace ?? flag ?? DEFAULT_NS);
  }
  return { namespaces };
}

/** Kinds that live outside namespaces; a runbook that applies them shares them with every other. */
const clusterScoped = new Set(['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'PriorityClass']);
