/**
 * Address mappings a kubeconfig declares for its cluster. The sandbox writes them into a cluster extension, so a
 * runbook's `http://<ingress ip>/…` reaches the ingress's real port on 127.0.0.1, like `curl --connect-to`.
 * Reading them is a client's business (any kubeconfig may carry the extension), so the reader lives here.
 */
import { parse } from 'yaml';
import { CONNECT_TO_EXTENSION } from '../core/kubeconfig-extension.js';


interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: { name: string; cluster?: { extensions?: { name: string; extension?: { connectTo?: unknown } }[] } }[];
}

/**
 * The `HOST:PORT:CONNECT_HOST:CONNECT_PORT` mappings of a context's cluster (default: the current context) in a
 * kubeconfig's text; [] when it declares none.
 */
export function connectToFromKubeconfig(text: string, contextName?: string): string[] {
  const doc = (parse(text) ?? {}) as KubeconfigDoc;
  const context = doc.contexts?.find((c) => c.name === (contextName ?? doc['current-context']));
  const cluster = doc.clusters?.find((c) => c.name === context?.context?.cluster);
  const extension = cluster?.cluster?.extensions?.find((e) => e.name === CONNECT_TO_EXTENSION)?.extension;
  const connectTo = extension?.connectTo;
  return Array.isArray(connectTo) ? connectTo.filter((c): c is string => typeof c === 'string') : [];
}
