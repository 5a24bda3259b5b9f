/**
 * The Node side of the long-lived shell (server-script.ts): one bash per runbook that forks a subshell per step.
 * Started by the first shell step of a runbook (which, like any step that finds it not ready yet, is spawned the
 * old way meanwhile, so no step ever waits for it), ended when the runbook ends (the run's cache closes it), and by
 * itself when this process goes away (its stdin reaches EOF).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signalGroup } from '../process-group.js';
import type { Exit, Launched } from './launch.js';
import { encodeRequest } from './request.js';
import { SERVER_FUNCTIONS, SERVER_SCRIPT } from './server-script.js';

interface Pending {
  pid?: number;
  setPid(pid: number | undefined): void;
  setExit(exit: Exit): void;
}

export class ShellServer {
  /** The environment the server started with: requests carry changes against it. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Set once the server has exited, saying how (`was killed by SIGKILL`). */
  ended?: string;
  private readonly child: ChildProcess;
  private readonly dir: string;
  private ready = false;
  private next = 1;
  /** FIFOs exist for every request number up to this one. */
  private upto = 0;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.baseEnv = env;
    // --norc: stdin is a socket, and bash reads ~/.bashrc when stdin is a network connection (as under rshd).
    this.dir = mkdtempSync(path.join(tmpdir(), 'runbook-shell-'));
    this.child = spawn('bash', ['--norc', '-c', SERVER_SCRIPT, 'bash', this.dir, SERVER_FUNCTIONS], { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        this.onLine(buffer.slice(0, i).split(' '));
        buffer = buffer.slice(i + 1);
      }
    });
    // Job notices and errors of the server itself: kept for the note when it dies.
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-500)));
    this.child.on('error', (error) => this.onEnd(`could not start (${error.message})`));
    this.child.on('exit', (code, signal) => this.onEnd(signal ? `was killed by ${signal}` : `exited with status ${code}`));
    this.hold(false);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True when a step can be sent now: the server is up and has FIFOs for it. */
  get usable(): boolean {
    return this.ready && !this.ended && this.next <= this.upto;
  }

  /** Runs one request (fields from request.ts) in a forked subshell. Throws when the request cannot be written. */
  launch(fields: readonly string[]): Launched {
    const n = this.next;
    const base = path.join(this.dir, String(n));
    try {
      // Renamed into place whole: the server forks as soon as the file exists.
      writeFileSync(`${base}.tmp`, encodeRequest(fields));
      renameSync(`${base}.tmp`, `${base}.req`);
    } catch (error) {
      this.close();
      throw error;
    }
    this.next++;
    const stdout = openFifo(`${base}.o`);
    const stderr = openFifo(`${base}.e`);
    const entry: Pending = { setPid: () => undefined, setExit: () => undefined };
    const pid = new Promise<number | undefined>((resolve) => (entry.setPid = (p) => ((entry.pid = p), resolve(p))));
    const exit = new Promise<Exit>((resolve) => (entry.setExit = resolve));
    this.pending.set(n, entry);
    this.hold(true);
    // The doorbell (server-script.ts): one byte wakes the server, which forks every request it finds.
    this.child.stdin!.write('\n');
    void exit.then(() => {
      this.pending.delete(n);
      this.hold(this.pending.size > 0);
    });
    void Promise.all([exit, closed(stdout), closed(stderr)])
      .then(() => Promise.all(['req', 'o', 'e'].map((ext) => rm(`${base}.${ext}`, { force: true }))))
      .catch(() => undefined);
    return { stdout, stderr, pid, exit };
  }

  /** Ends the server (its own process group: it and its doorbell) and removes its folder. */
  close(): void {
    if (!this.ended) this.ended = 'was closed';
    this.child.stdin?.destroy();
    signalGroup(this.child.pid, 'SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private onLine([event, a, b]: string[]): void {
    if (event === 'ready') this.ready = true;
    else if (event === 'fifos' && b === '0') this.upto = Math.max(this.upto, Number(a));
    else if (event === 'pid') this.pending.get(Number(a))?.setPid(Number(b));
    else if (event === 'exit') this.pending.get(Number(a))?.setExit({ type: 'exited', code: Number(b) });
  }

  private onEnd(how: string): void {
    if (this.ended === undefined) this.ended = how;
    // bash's own job notices (`[2]+  Done  mkfifo …`) say nothing about why it ended.
    const tail = this.stderrTail
      .split('\n')
      .filter((line) => line.trim() && !/^\[\d+\][+-]?\s/.test(line))
      .join('\n');
    const message = `the long-lived shell (pid ${this.child.pid}) ${this.ended} while this step ran; its exit status is unknown${tail ? ` (it said: ${tail})` : ''}`;
    for (const entry of this.pending.values()) {
      // The step's own group may still run: it must not outlive a step that is reported as over.
      signalGroup(entry.pid, 'SIGKILL');
      entry.setPid(entry.pid);
      entry.setExit({ type: 'failed', code: 1, message, in: 'diagnostics' });
    }
    this.pending.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** An idle server must not keep this process alive; one with steps in flight must, until their exit lines come. */
  private hold(busy: boolean): void {
    const out = this.child.stdout as Socket | null;
    if (busy) {
      this.child.ref();
      out?.ref();
    } else {
      this.child.unref();
      out?.unref();
      (this.child.stdin as Socket | null)?.unref();
      (this.child.stderr as Socket | null)?.unref();
    }
  }
}

/**
 * A FIFO's read end as a stream. Opened non-blocking, so the open does not wait for the writer, and read through a
 * net.Socket (libuv's pipe handle, polled) rather than fs streams, whose reads would each hold a thread-pool thread
 * until the step writes.
 */
function openFifo(file: string): Socket {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

function closed(stream: Socket): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()));
}
