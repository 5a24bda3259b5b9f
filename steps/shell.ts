/**
 * The shell step: `bash -o pipefail -c SCRIPT` semantics in the runbook's folder, captured variables exported as
 * environment variables (never spliced into the script text), stdout and stderr streamed as they come, and the
 * whole process group killed on timeout or interrupt.
 *
 * Each step is a new shell process, so `cd`, `export` or `set -e` in one cell never reach the next. Steps are
 * spawned from Node. RUNBOOK_SHELL=server forks them from one long-lived shell per runbook instead (shell/server.ts):
 * same output, environment, exit status and process group, but measured slower on the 2-core machine of
 * BENCHMARKS.md (13 echo cells: 74 ms a step against 52 ms spawned, under load), since each step costs that shell
 * two forks (its doorbell and the step) where a spawn costs one, so it is not the default. Even then a step is
 * spawned when that shell is not ready yet, when it gets stdin text, or when a forked subshell could not give it the
 * same shell (shell/request.ts says which).
 *
 * node:child_process rather than zx: the step needs its own process group to kill pipelines and their
 * grandchildren with one `kill(-pid)`, and raw chunk streaming; zx's quoting and logging add nothing here.
 */
import { StringDecoder } from 'node:string_decoder';
import type { StepContext, StepOutput, StepRunner } from '../src/core/step.js';
import { withSeldonShim } from './seldon/shim.js';
import { signalGroup } from './process-group.js';
import { spawnShell, type Launched } from './shell/launch.js';
import { shellHost } from './shell/host.js';
import { planRequest } from './shell/request.js';

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
  const env = withSeldonShim({ ...process.env, ...ctx.vars }, ctx.cache);
  const diagnostics: string[] = [];
  return supervise(launch(script, ctx, env, options, diagnostics), ctx, options, diagnostics);
}

function launch(script: string, ctx: StepContext, env: NodeJS.ProcessEnv, options: ShellOptions, notes: string[]): Launched {
  // Stdin text needs a pipe written after the child exists; the server's FIFOs only carry output.
  if (options.stdin === undefined && process.env.RUNBOOK_SHELL === 'server') {
    const { server, note } = shellHost(ctx.cache).take(env);
    if (note) notes.push(note);
    const plan = server && planRequest(script, ctx.cwd, env, server.baseEnv);
    if (server && plan?.type === 'server') {
      try {
        return server.launch(plan.fields);
      } catch (error) {
        notes.push(`the long-lived shell could not take the step (${(error as Error).message}); spawned instead`);
      }
    }
  }
  return spawnShell(script, ctx.cwd, env, options.stdin !== undefined);
}

function supervise(child: Launched, ctx: StepContext, options: ShellOptions, diagnostics: string[]): Promise<StepOutput> {
  return new Promise((resolve) => {
    const text = { stdout: '', stderr: '' };
    const open = { stdout: true, stderr: true };
    let exited: { code: number } | undefined;
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[stream].on('data', (chunk: Buffer) => {
        const s = decoder.write(chunk);
        if (!s) return;
        text[stream] += s;
        ctx.write(stream, s);
      });
      child[stream].on('close', () => {
        open[stream] = false;
        if (exited) finish(exited.code);
      });
    }
    if (options.stdin !== undefined) child.stdin?.(options.stdin);

    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (why: string) => {
      if (exited || killTimer) return;
      diagnostics.push(why);
      // The group may not exist yet (a forked step whose pid line has not come): it is signalled once it does.
      void child.pid.then((pid) => !exited && signalGroup(pid, 'SIGTERM'));
      killTimer = setTimeout(() => void child.pid.then((pid) => signalGroup(pid, 'SIGKILL')), killGraceMs);
    };
    const onAbort = () => killGroup(`killed (process group) because the step was ${abortWord(ctx.signal)}`);
    if (ctx.signal.aborted) onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const remaining = ctx.deadline - Date.now();
    const deadlineTimer = Number.isFinite(remaining)
      ? setTimeout(() => killGroup(`killed (process group) after the step's deadline`), Math.max(0, remaining))
      : undefined;

    let settled = false;
    function finish(code: number): void {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      clearTimeout(deadlineTimer);
      ctx.signal.removeEventListener('abort', onAbort);
      // Background children must not outlive the step holding its pipes.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ stdout: text.stdout, stderr: text.stderr, exitCode: code, ...(diagnostics.length ? { diagnostics } : {}) });
    }
    void child.exit.then((exit) => {
      if (exit.type === 'failed') {
        if (exit.in === 'stderr') text.stderr += `${exit.message}\n`;
        else diagnostics.push(exit.message);
      }
      exited = { code: exit.code };
      if (!open.stdout && !open.stderr) finish(exit.code);
      else setTimeout(() => finish(exit.code), drainMs).unref();
    });
  });
}

function abortWord(signal: AbortSignal): string {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError' ? 'timed out' : 'interrupted';
}
