/**
 * Address mappings a kubeconfig declares for its cluster. The sandbox writes them into a cluster extension, so a
 * runbook's `http://<ingress ip>/…` reaches the ingress's real port on 127.0.0.1, like `curl --connect-to`.
 * Reading them is a client's business (any kubeconfig may carry the extension), so the reader lives here.
 */
import { parse } from 'yaml';
import { CONNECT_TO_EXTENSION } from '../core/kubeconfig-extension.js';
import { loadKubeconfigDoc, type KubeconfigDoc, type KubeconfigLookup } from './kubeconfig-files.js';

/** The extension named `name` of a context's cluster (default: the current context's); undefined when absent. */
export function clusterExtension(doc: KubeconfigDoc, name: string, contextName?: string): unknown {
  const wanted = contextName ?? doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === wanted)?.context as { cluster?: unknown } | undefined;
  const cluster = doc.clusters?.find((c) => c.name === context?.cluster)?.cluster as { extensions?: unknown } | undefined;
  const extensions = Array.isArray(cluster?.extensions) ? (cluster.extensions as { name?: unknown; extension?: unknown }[]) : [];
  return extensions.find((e) => e.name === name)?.extension;
}

/**
 * The `HOST:PORT:CONNECT_HOST:CONNECT_PORT` mappings of a context's cluster (default: the current context) in a
 * kubeconfig document; [] when it declares none.
 */
export function connectToFromDoc(doc: KubeconfigDoc, contextName?: string): string[] {
  const connectTo = (clusterExtension(doc, CONNECT_TO_EXTENSION, contextName) as { connectTo?: unknown } | undefined)?.connectTo;
  return Array.isArray(connectTo) ? connectTo.filter((c): c is string => typeof c === 'string') : [];
}

/** The same, from one kubeconfig file's text. */
export function connectToFromKubeconfig(text: string, contextName?: string): string[] {
  return connectToFromDoc((parse(text) ?? {}) as KubeconfigDoc, contextName);
}

/**
 * The mappings of the kubeconfig a run uses, resolved as kubectl resolves it (flag, else the merged KUBECONFIG
 * list, else ~/.kube/config); [] when there is no kubeconfig at all.
 */
export function connectToFromLookup(lookup: KubeconfigLookup, contextName?: string): string[] {
  const doc = loadKubeconfigDoc(lookup);
  return doc ? connectToFromDoc(doc, contextName) : [];
}
