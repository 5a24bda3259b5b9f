/**
 * `runbook sandbox`: runs the embedded cluster in the foreground until SIGINT or SIGTERM.
 *
 * Once ready it prints, one per line: `kubeconfig: PATH`, `api: URL`, `ingress: IP:80 -> 127.0.0.1:PORT`,
 * `connect-to: IP:80:127.0.0.1:PORT`. Exit codes: 0 after SIGTERM (the orderly way to stop a service),
 * 130 after SIGINT (Ctrl-C, the shell convention), 2 for a bad option or a port already in use.
 */
import { ExitCode, InputError } from '../core/errors.js';
import type { SandboxFlags } from '../sandbox/options.js';
import { parseSandboxFlags } from '../sandbox/options.js';
import type { Sandbox, SandboxOptions } from '../sandbox/types.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface SandboxIo {
  stdout: { write(text: string): unknown };
  /** Resolves with the first stop signal. */
  waitForSignal(): Promise<StopSignal>;
}

function processIo(): SandboxIo {
  return {
    stdout: process.stdout,
    waitForSignal: () =>
      new Promise((resolve) => {
        const on = (signal: StopSignal) => () => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          resolve(signal);
        };
        const onInt = on('SIGINT');
        const onTerm = on('SIGTERM');
        process.once('SIGINT', onInt);
        process.once('SIGTERM', onTerm);
      }),
  };
}

type Start = (options: SandboxOptions) => Promise<Sandbox>;

/** The command with its effects passed in, for tests. */
export async function runSandbox(flags: SandboxFlags, io: SandboxIo, start?: Start): Promise<number> {
  const options = parseSandboxFlags(flags);
  const startSandbox = start ?? (await import('../sandbox/index.js')).startSandbox;
  // Listen for signals before starting, so a Ctrl-C during start-up still stops everything.
  const signal = io.waitForSignal();
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    const { code, port } = error as { code?: string; port?: number };
    if (code === 'EADDRINUSE') {
      const flag = port === options.port ? '--port' : '--ingress-port';
      throw new InputError(`${flag}: 127.0.0.1:${port} is already in use`, undefined, { cause: error });
    }
    throw error;
  }
  io.stdout.write(
    [
      `kubeconfig: ${sandbox.kubeconfigPath}`,
      `api: ${sandbox.apiUrl}`,
      `ingress: ${sandbox.ingressIp}:80 -> 127.0.0.1:${sandbox.ingressPort}`,
      `connect-to: ${sandbox.connectTo}`,
      '',
    ].join('\n'),
  );
  const received = await signal;
  await sandbox.stop();
  return received === 'SIGINT' ? ExitCode.interrupted : ExitCode.ok;
}

export async function main(flags: SandboxFlags): Promise<number> {
  return runSandbox(flags, processIo());
}
