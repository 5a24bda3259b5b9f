/**
 * `run --sandbox`: one embedded sandbox per runbook, started by the command and lent to the runner for that
 * runbook's run. The runner never starts one; it runs against the kubeconfig and connect-to mappings it is given.
 */
import type { TargetLease } from '../runner/index.js';
import type { SandboxOptions } from '../sandbox/types.js';

export async function sandboxLease(options: SandboxOptions): Promise<TargetLease> {
  const { startSandbox } = await import('../sandbox/index.js');
  // In this process: a sandbox per runbook in a child process was tried and is slower on two cores (each pays
  // Node's start and module loading again: 20 runbooks at --concurrency 4 took 19 s against 14 s in-process).
  const sandbox = await startSandbox(options);
  return { kubeconfig: sandbox.kubeconfigPath, connectTo: [sandbox.connectTo], release: () => sandbox.stop() };
}
