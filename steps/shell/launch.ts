/**
 * A step's shell once started, whichever way it was started: a spawn from Node (here) or a fork of the long-lived
 * shell (server.ts). shell.ts streams, kills and waits for either through this one shape.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';

/** How a step's shell ended. */
export type Exit =
  | { type: 'exited'; code: number }
  /**
   * It never ran (`in: 'stderr'`, as a spawn error always showed) or its end was not seen because the long-lived
   * shell died (`in: 'diagnostics'`); `code` is what the step reports.
   */
  | { type: 'failed'; code: number; message: string; in: 'stderr' | 'diagnostics' };

export interface Launched {
  stdout: Readable;
  stderr: Readable;
  /** Resolves once the step's process group exists (its leader's pid), or undefined when it never will. */
  pid: Promise<number | undefined>;
  /** Resolves when the shell itself has exited; its output may still be draining. */
  exit: Promise<Exit>;
  /** Writes stdin text; only a spawned shell has a stdin to write. */
  stdin?: (text: string) => void;
}

/** `bash -o pipefail -c SCRIPT` spawned from Node in its own session and process group (`detached`). */
export function spawnShell(script: string, cwd: string, env: NodeJS.ProcessEnv, withStdin: boolean): Launched {
  const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
    cwd,
    env,
    detached: true,
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<Exit>((resolve) => {
    child.on('error', (error) => resolve({ type: 'failed', code: 127, message: error.message, in: 'stderr' }));
    child.on('exit', (code, signal) => resolve({ type: 'exited', code: code ?? 128 + signalNumber(signal) }));
  });
  return {
    stdout: child.stdout!,
    stderr: child.stderr!,
    pid: Promise.resolve(child.pid),
    exit,
    stdin: (text) => child.stdin?.end(text),
  };
}

export function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) || 1;
}
