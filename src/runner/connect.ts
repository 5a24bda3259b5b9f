/**
 * Connect-to mappings for a run: `--connect-to` flags and the ones a sandbox writes into its kubeconfig,
 * so `http://${INGRESS_IP}/…` reaches the sandbox's real port.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import type { ConnectTo } from '../core/step.js';
import { parseConnectTo } from '../net/connect-to.js';
import { connectToFromKubeconfig } from '../kube/kubeconfig-connect-to.js';

/** A `--connect-to` flag value; InputError when it is not `HOST:PORT:CONNECT_HOST:CONNECT_PORT`. */
export function connectToFlag(spec: string): ConnectTo {
  const parsed = parseConnectTo(spec);
  if (!parsed) throw new InputError(`--connect-to ${JSON.stringify(spec)}: expected HOST:PORT:CONNECT_HOST:CONNECT_PORT`);
  return parsed;
}

/** Mappings declared by the kubeconfig's cluster for `context` (default: the current context). */
export async function kubeconfigConnectTo(file: string, context?: string): Promise<ConnectTo[]> {
  return connectToFromKubeconfig(await readFile(file, 'utf8'), context).map(connectToFlag);
}
