/**
 * Connect-to mappings for a run: `--connect-to` flags and the ones a sandbox writes into its kubeconfig,
 * so `http://${INGRESS_IP}/…` reaches the sandbox's real port.
 */
import { InputError } from '../core/errors.js';
import type { ConnectTo } from '../core/step.js';
import { parseConnectTo } from '../net/connect-to.js';
import { connectToFromLookup } from '../kube/kubeconfig-connect-to.js';

/** A `--connect-to` flag value; InputError when it is not `HOST:PORT:CONNECT_HOST:CONNECT_PORT`. */
export function connectToFlag(spec: string): ConnectTo {
  const parsed = parseConnectTo(spec);
  if (!parsed) throw new InputError(`--connect-to ${JSON.stringify(spec)}: expected HOST:PORT:CONNECT_HOST:CONNECT_PORT`);
  return parsed;
}

/**
 * Mappings declared by the cluster of `context` (default: the current context) in the kubeconfig kubectl would
 * use: `file` when given, else the `KUBECONFIG` list of `env` merged, else ~/.kube/config.
 */
export function kubeconfigConnectTo(file: string | undefined, context?: string, env?: NodeJS.ProcessEnv): Promise<ConnectTo[]> {
  return Promise.resolve().then(() => connectToFromLookup({ kubeconfig: file, env }, context).map(connectToFlag));
}
