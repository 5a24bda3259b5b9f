/**
 * The shell step: `bash -o pipefail -c SCRIPT` in the runbook's folder, captured variables exported as environment
 * variables (never spliced into the script text), output streamed as it comes, and the whole process group killed
 * on timeout or interrupt.
 *
 * node:child_process rather than zx: the step needs its own process group (`detached`) to kill pipelines and
 * their grandchildren with one `kill(-pid)`, and raw chunk streaming; zx's quoting and logging add nothing here.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { StepContext, StepOutput, StepRunner } from '../src/core/step.js';
import { withSeldonShim } from './seldon/shim.js';
import { signalGroup } from './process-group.js';

/** How long a killed group gets between SIGTERM and SIGKILL. */
const killGraceMs = 2000;
/** After bash exits, how long to wait for background children still holding its output pipes. */
const drainMs = 200;

export interface ShellOptions {
  /** Text for the command's standard input; none (EOF at once) when absent. */
  stdin?: string;
}

export const shell: StepRunner<'shell'> = {
  run: (args, ctx) => runShell(args.script, ctx),
};

/** Runs `script` with bash; resolves when it exits (or is killed). Never rejects for the command's own failure. */
export function runShell(script: string, ctx: StepContext, options: ShellOptions = {}): Promise<StepOutput> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      cwd: ctx.cwd,
      env: withSeldonShim({ ...process.env, ...ctx.vars }, ctx.cache),
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const text = { stdout: '', stderr: '' };
    const diagnostics: string[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[stream]?.on('data', (chunk: Buffer) => {
        const s = decoder.write(chunk);
        if (!s) return;
        text[stream] += s;
        ctx.write(stream, s);
      });
    }
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);

    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (why: string) => {
      if (child.exitCode !== null || killTimer) return;
      diagnostics.push(why);
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), killGraceMs);
    };
    const onAbort = () => killGroup(`killed (process group) because the step was ${abortWord(ctx.signal)}`);
    if (ctx.signal.aborted) onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const remaining = ctx.deadline - Date.now();
    const deadlineTimer = Number.isFinite(remaining)
      ? setTimeout(() => killGroup(`killed (process group) after the step's deadline`), Math.max(0, remaining))
      : undefined;

    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      clearTimeout(deadlineTimer);
      ctx.signal.removeEventListener('abort', onAbort);
      // Background children must not outlive the step holding its pipes.
      child.stdout?.destroy();
      child.stderr?.destroy();
      const exitCode = code ?? 128 + signalNumber(signal);
      resolve({ stdout: text.stdout, stderr: text.stderr, exitCode, ...(diagnostics.length ? { diagnostics } : {}) });
    };
    child.on('error', (error) => {
      text.stderr += `${error.message}\n`;
      finish(127, null);
    });
    child.on('close', finish);
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), drainMs).unref());
  });
}

function abortWord(signal: AbortSignal): string {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError' ? 'timed out' : 'interrupted';
}

/** As a shell reports it: 128 + the signal's number (SIGSEGV 139, SIGABRT 134). */
function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) ?? 1;
}
