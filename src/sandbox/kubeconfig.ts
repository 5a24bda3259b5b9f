/**
 * The sandbox's kubeconfig: server, token, context `runbook-sandbox`, a cluster extension that maps the addresses
 * runbooks use (`<ingress ip>:80`, the Seldon mesh and scheduler) to real ports on 127.0.0.1, like
 * `curl --connect-to`, and one that says where Seldon's scheduler and inference endpoint are.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { CONNECT_TO_EXTENSION, SELDON_EXTENSION, type SeldonExtension } from '../core/kubeconfig-extension.js';
import { writeFileAtomic } from '../core/write-atomic.js';
import { PERMANENT_STATES } from './scheduler/scheduler.js';

export const CONTEXT_NAME = 'runbook-sandbox';

export interface KubeconfigInput {
  server: string;
  /** PEM of the CA that signed the server's certificate. */
  ca: string;
  token: string;
  /** `HOST:PORT:CONNECT_HOST:CONNECT_PORT` mappings. */
  connectTo: string[];
  /** Seldon's addresses as runbooks write them; each has its entry in `connectTo`. */
  seldon?: SeldonExtension;
  namespace?: string;
}

export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.ca).toString('base64'),
          extensions: [
            { name: CONNECT_TO_EXTENSION, extension: { connectTo: input.connectTo } },
            // The states the scheduler never leaves by itself go with its address: waits on this cluster may end early.
            ...(input.seldon ? [{ name: SELDON_EXTENSION, extension: { permanentStates: PERMANENT_STATES, ...input.seldon } }] : []),
          ],
        },
      },
    ],
    users: [{ name: CONTEXT_NAME, user: { token: input.token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: input.namespace ?? 'default' } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

/**
 * Writes the kubeconfig readable by its owner only (it holds the token), atomically: a reader never sees half a
 * file, a symlinked path keeps its link, and a failed write leaves no temporary file behind.
 */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, kubeconfigYaml(input), { mode: 0o600 });
}
