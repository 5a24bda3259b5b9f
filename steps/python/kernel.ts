/**
 * The driver of one Python kernel process: `python3 -u -c KERNEL` with stdin on /dev/null (a cell that reads it
 * gets EOF at once), its output on fd 1 and fd 2, and the control channel on fd 3 (to the kernel) and fd 4
 * (from it). The process leads its own process group, so a kill takes its `!` children with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { MarkedStream, type CellText } from './capture.js';
import { encodeFrame, FrameReader } from './frames.js';
import { kernelSource } from './kernel-source.js';
import { signalGroup } from '../process-group.js';

export interface KernelOptions {
  /** The interpreter: a name looked up on PATH or a path. */
  python: string;
  cwd: string;
  env: Record<string, string>;
  /** Whether to use IPython when it is importable (false: the documented subset, even where IPython exists). */
  ipython: boolean;
}

/** What the kernel said when it was ready. */
export interface KernelInfo {
  ipython: boolean;
  python: string;
}

/** What one cell sends: its code and the runbook's variables (all into os.environ, `globals` also as globals). */
export interface CellRequest {
  code: string;
  env: Record<string, string>;
  globals: Record<string, string>;
}

export type CellOutcome =
  | { type: 'done'; ok: boolean; vars: Record<string, string>; stdout: CellText; stderr: CellText }
  /** The kernel is gone: killed (timeout, interrupt) or exited by itself. */
  | { type: 'lost'; why: string; stdout: CellText; stderr: CellText };

export type StartOutcome = { type: 'ready'; kernel: Kernel; info: KernelInfo } | { type: 'missing'; why: string } | { type: 'failed'; why: string };

/** How long a killed kernel gets between SIGTERM and SIGKILL. */
const killGraceMs = 1000;

interface Waiter {
  resolve(message: Record<string, unknown>): void;
}

export class Kernel {
  private readonly reader = new FrameReader();
  private readonly out = new MarkedStream();
  private readonly err = new MarkedStream();
  private waiter: Waiter | undefined;
  /** Set once the process is gone, with why. */
  private gone: string | undefined;
  private readonly exited: Promise<void>;
  /** The last bytes of stderr printed outside any cell (start-up errors), for a kernel that fails to start. */
  private looseStderr = '';

  private constructor(private readonly child: ChildProcess) {
    const [, stdout, stderr, , control] = child.stdio as [unknown, Readable, Readable, Writable, Readable];
    stdout.on('data', (chunk: Buffer) => this.out.push(chunk));
    stderr.on('data', (chunk: Buffer) => {
      if (!this.waiter) this.looseStderr = (this.looseStderr + chunk.toString('utf8')).slice(-4000);
      this.err.push(chunk);
    });
    control.on('data', (chunk: Buffer) => {
      for (const message of this.reader.push(chunk)) this.waiter?.resolve(message as Record<string, unknown>);
    });
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.gone ??= error.message;
        resolve();
      });
      child.on('exit', (code, signal) => {
        this.gone ??= signal ? `the Python kernel was killed by ${signal}` : `the Python kernel exited with status ${code ?? '?'}`;
        resolve();
      });
    });
  }

  /** Starts a kernel and waits until it is ready (or missing, or failed), at most until `signal` aborts. */
  static start(options: KernelOptions, signal: AbortSignal): Promise<StartOutcome> {
    const child = spawn(options.python, ['-u', '-c', kernelSource], {
      cwd: options.cwd,
      env: { ...options.env, PYTHONIOENCODING: 'utf-8', RUNBOOK_IPYTHON: options.ipython ? '1' : '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    const kernel = new Kernel(child);
    return new Promise((resolve) => {
      const onAbort = () => {
        void kernel.close();
        resolve({ type: 'failed', why: `the Python kernel did not start: ${reasonText(signal.reason)}` });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.once('error', (error: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', onAbort);
        resolve(error.code === 'ENOENT' ? { type: 'missing', why: `${options.python} is not installed` } : { type: 'failed', why: error.message });
      });
      kernel.waiter = {
        resolve: (message) => {
          kernel.waiter = undefined;
          signal.removeEventListener('abort', onAbort);
          resolve({ type: 'ready', kernel, info: { ipython: message.ipython === true, python: String(message.python) } });
        },
      };
      void kernel.exited.then(() => {
        if (!kernel.waiter) return;
        kernel.waiter = undefined;
        signal.removeEventListener('abort', onAbort);
        const said = kernel.looseStderr.trim().split('\n').slice(-3).join('\n');
        resolve({ type: 'failed', why: `the Python kernel did not start: ${kernel.gone ?? 'exited'}${said ? `\n${said}` : ''}` });
      });
    });
  }

  get alive(): boolean {
    return this.gone === undefined;
  }

  /**
   * Runs one cell. Resolves when the kernel said the cell is done and both output streams reached the cell's
   * marker; or when the kernel is gone. `signal` (timeout, interrupt) kills the kernel: its state is lost.
   */
  async run(request: CellRequest, signal: AbortSignal, write: (stream: 'stdout' | 'stderr', text: string) => void): Promise<CellOutcome> {
    if (this.gone !== undefined) return { type: 'lost', why: this.gone, stdout: { text: '', dropped: 0 }, stderr: { text: '', dropped: 0 } };
    const marker = `\u0000runbook-cell-${randomBytes(16).toString('hex')}\u0000`;
    const ended = { out: deferred(), err: deferred() };
    this.out.begin(marker, (text) => write('stdout', text), ended.out.resolve);
    this.err.begin(marker, (text) => write('stderr', text), ended.err.resolve);
    const reply = new Promise<Record<string, unknown>>((resolve) => (this.waiter = { resolve }));
    let killedFor: string | undefined;
    const onAbort = () => {
      killedFor = `killed the Python kernel because the step ${abortWord(signal)}`;
      void this.close();
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const control = this.child.stdio[3] as Writable;
      control.write(encodeFrame({ ...request, marker }));
      const finished = Promise.all([reply, ended.out.promise, ended.err.promise]).then(([message]) => message);
      const message = await Promise.race([finished, this.exited.then(() => undefined)]);
      if (message === undefined || killedFor) {
        // Whatever the streams still hold arrives before their end; give it a moment, not forever.
        await Promise.race([Promise.all([ended.out.promise, ended.err.promise]), delay(100)]);
        return { type: 'lost', why: killedFor ?? this.gone ?? 'the Python kernel is gone', stdout: this.out.end(), stderr: this.err.end() };
      }
      const vars = (message.vars ?? {}) as Record<string, string>;
      return { type: 'done', ok: message.ok === true, vars, stdout: this.out.end(), stderr: this.err.end() };
    } finally {
      this.waiter = undefined;
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Ends the kernel and its children (SIGTERM, then SIGKILL); resolves when the process is gone. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      signalGroup(this.child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(this.child.pid, 'SIGKILL'), killGraceMs);
      await this.exited;
      clearTimeout(timer);
    }
    for (const stream of this.child.stdio) stream?.destroy();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

// Not unref()ed: when the kernel is gone it may be the only thing keeping the run alive.
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function abortWord(signal: AbortSignal): string {
  const reason = signal.reason as { name?: string; message?: string } | undefined;
  return reason?.name === 'TimeoutError' || /timed out/.test(reason?.message ?? '') ? 'timed out' : 'was interrupted';
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
