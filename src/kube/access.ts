/**
 * Loading a kubeconfig into a `KubeAccess`. The only place that imports @kubernetes/client-node's config loader,
 * so runbooks without Kubernetes steps never load it.
 */
import path from 'node:path';
import type { KubeAccess, StepContext } from '../core/step.js';
import type { KubeFlags } from '../core/model.js';
import { InputError } from '../core/errors.js';
import { KubeClient } from './rest.js';
import { kubeconfigFiles, noKubeconfig, type KubeconfigLookup } from './kubeconfig-files.js';

export interface KubeAccessOptions extends KubeconfigLookup {
  /** A context name; otherwise the kubeconfig's current context. */
  context?: string;
}

/**
 * Loads the kubeconfig once per run (the runner calls this lazily, before the first Kubernetes step), resolved as
 * kubectl does (kubeconfig-files.ts). Every mistake the user can fix is an InputError: no kubeconfig, a missing
 * --kubeconfig, an unknown --context, a context without a cluster.
 */
export async function loadKubeAccess(options: KubeAccessOptions = {}): Promise<KubeAccess> {
  const found = kubeconfigFiles(options);
  if (found.files.length === 0) throw noKubeconfig(found);
  // The config module alone: the package's index pulls in every generated API client (about 2.5 MB more to compile).
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
  const config = new KubeConfig();
  for (const file of found.files) {
    const one = new KubeConfig();
    try {
      // Per file, so relative certificate paths resolve against the file that names them.
      one.loadFromFile(file);
    } catch (error) {
      // The first line only: YAML errors go on with an excerpt of the file, which may show its tokens and keys.
      const reason = (error as Error).message.split('\n')[0];
      throw new InputError(`cannot load kubeconfig ${file}: ${reason}`, undefined, { cause: error });
    }
    // kubectl's merge, not client-node's (which lets a later file's current-context win and throws on a repeated name).
    if (!config.currentContext && one.currentContext) config.currentContext = one.currentContext;
    for (const c of one.clusters) if (!config.clusters.some((x) => x.name === c.name)) config.clusters.push(c);
    for (const u of one.users) if (!config.users.some((x) => x.name === u.name)) config.users.push(u);
    for (const c of one.contexts) if (!config.contexts.some((x) => x.name === c.name)) config.contexts.push(c);
  }
  const where = found.source === 'flag' ? found.files[0] : found.source === 'KUBECONFIG' ? `KUBECONFIG (${found.files.join(path.delimiter)})` : found.files[0];
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      const names = config.contexts.map((c) => c.name).join(', ') || 'none';
      throw new InputError(`--context ${options.context}: no such context in ${where} (contexts: ${names})`);
    }
    config.setCurrentContext(options.context);
  }
  const contextName = config.getCurrentContext();
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    const why = contextName ? `context "${contextName}" names no cluster that exists` : 'it sets no current-context';
    throw new InputError(`kubeconfig ${where}: ${why}; use --context NAME`);
  }
  return {
    config,
    contextName,
    server: cluster.server,
    namespace: config.getContextObject(contextName)?.namespace || 'default',
  };
}

/** What a Kubernetes step works with: the client and the namespace its flags resolve to. */
export interface KubeTarget {
  client: KubeClient;
  access: KubeAccess;
  /** `-n`, else the context's namespace. */
  namespace: string;
  /** The namespace came from `-n` (a manifest's own namespace must then agree, as kubectl insists). */
  explicitNamespace: boolean;
}

/** What kube needs of a step's context: variables are the step's business, substituted before kube is called. */
export type KubeContext = Pick<StepContext, 'cwd' | 'cache' | 'kube' | 'signal'>;

/**
 * The client for one step: the run's access unless the step names its own `--kubeconfig`/`--context`.
 * Clients are cached per run so discovery and connections are shared between steps.
 */
export async function kubeTarget(flags: KubeFlags, ctx: KubeContext): Promise<KubeTarget> {
  const { kubeconfig, context } = flags;
  const key = `kube:access:${kubeconfig ?? ''}:${context ?? ''}`;
  let pending = ctx.cache.get(key) as Promise<KubeAccess> | undefined;
  if (!pending) {
    pending =
      kubeconfig || context
        ? loadKubeAccess({ kubeconfig: kubeconfig && resolveAgainst(ctx.cwd, kubeconfig), context })
        : ctx.kube();
    ctx.cache.set(key, pending);
  }
  const access = await pending;
  const clientKey = `kube:client:${access.contextName}:${access.server}:${kubeconfig ?? ''}`;
  let client = ctx.cache.get(clientKey) as KubeClient | undefined;
  if (!client) {
    client = new KubeClient(access);
    ctx.cache.set(clientKey, client);
  }
  const ns = flags.namespace ?? '';
  return { client, access, namespace: ns || access.namespace, explicitNamespace: Boolean(ns) };
}

function resolveAgainst(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd}/${path}`;
}
