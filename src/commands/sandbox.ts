/**
 * `runbook sandbox`: runs the embedded cluster in the foreground until SIGINT or SIGTERM.
 *
 * Once ready it prints, one per line: `kubeconfig: PATH`, `api: URL`, `ingress: IP:80 -> 127.0.0.1:PORT`,
 * `connect-to: IP:80:127.0.0.1:PORT`, `seldon-mesh: IP:80 -> 127.0.0.1:PORT`, `seldon-scheduler: IP:9004 -> 127.0.0.1:PORT`,
 * `seldon-kafka: IP:9092 -> 127.0.0.1:PORT`.
 * Exit codes: 0 after SIGTERM (the orderly way to stop a service),
 * 130 after SIGINT (Ctrl-C, the shell convention), 2 for a bad option or a port already in use.
 */
import { ExitCode, InputError } from '../core/errors.js';
import type { SandboxFlags } from '../sandbox/options.js';
import { parseSandboxFlags } from '../sandbox/options.js';
import type { Sandbox } from '../sandbox/index.js';
import type { SandboxOptions } from '../sandbox/types.js';
import { claimSignals } from './run-signals.js';

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
        // Claimed from the launcher (run-signals.ts): a signal that came while the bundle loaded counts too.
        const release = claimSignals((signal) => {
          release();
          resolve(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
        });
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
    throw portInUse(error, options, '--') ?? error;
  }
  io.stdout.write(
    [
      `kubeconfig: ${sandbox.kubeconfigPath}`,
      `api: ${sandbox.apiUrl}`,
      `ingress: ${sandbox.ingressIp}:80 -> 127.0.0.1:${sandbox.ingressPort}`,
      `connect-to: ${sandbox.connectTo}`,
      // Where the seldon CLI reaches Seldon (SELDON_INFER_HOST, SELDON_SCHEDULE_HOST take the 127.0.0.1 forms).
      `seldon-mesh: ${sandbox.meshIp}:80 -> 127.0.0.1:${sandbox.meshPort}`,
      `seldon-scheduler: ${sandbox.schedulerIp}:9004 -> 127.0.0.1:${sandbox.schedulerPort}`,
      // SELDON_KAFKA_BROKER: the pipeline topics `seldon pipeline inspect` reads.
      `seldon-kafka: ${sandbox.kafkaIp}:9092 -> 127.0.0.1:${sandbox.kafkaPort}`,
      '',
    ].join('\n'),
  );
  const received = await signal;
  await sandbox.stop();
  return received === 'SIGINT' ? ExitCode.interrupted : ExitCode.ok;
}

/**
 * The usage error for a sandbox port already taken (`--port`, `--ingress-port`, with `prefix` `--sandbox-` under
 * `run`); undefined for any other error.
 */
export function portInUse(error: unknown, options: SandboxOptions, prefix: string): InputError | undefined {
  const { code, port } = error as { code?: string; port?: number };
  if (code !== 'EADDRINUSE') return undefined;
  const flag = port === options.port ? `${prefix}port` : `${prefix}ingress-port`;
  return new InputError(`${flag}: 127.0.0.1:${port} is already in use; choose another port or leave the flag out for a free one`, undefined, { cause: error });
}

export async function main(flags: SandboxFlags): Promise<number> {
  return runSandbox(flags, processIo());
}
