/**
 * `run --sandbox`: one embedded sandbox per runbook, started by the command and lent to the runner for that
 * runbook's run. The runner never starts one; it runs against the kubeconfig and connect-to mappings it is given.
 */
import type { TargetLease } from '../runner/index.js';
import type { SandboxOptions } from '../sandbox/types.js';
import { createServer } from 'node:net';
import { portInUse } from './sandbox.js';

export async function sandboxLease(options: SandboxOptions): Promise<TargetLease> {
  const { startSandbox } = await import('../sandbox/index.js');
  // In this process: a sandbox per runbook in a child process was tried and is slower on two cores (each pays
  // Node's start and module loading again: 20 runbooks at --concurrency 4 took 19 s against 14 s in-process).
  // A port already taken is a usage error (exit 2) with the flag's name, as `runbook sandbox` says it.
  const sandbox = await startSandbox(options).catch((error: unknown) => {
    throw portInUse(error, options, '--sandbox-') ?? error;
  });
  return { kubeconfig: sandbox.kubeconfigPath, connectTo: sandbox.mappings, release: () => sandbox.stop() };
}

/**
 * Fails with the usage error before any reporter starts when a fixed sandbox port is taken (the lease would find
 * out only when the first runbook starts, with the live UI already drawn).
 */
export async function checkSandboxPorts(options: SandboxOptions): Promise<void> {
  for (const port of [options.port, options.ingressPort]) {
    if (!port) continue;
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => reject(portInUse(Object.assign(error, { port }), options, '--sandbox-') ?? error));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  }
}
