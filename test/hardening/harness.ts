/**
 * Helpers for the hardening tests: an external sandbox process (so a test can kill it, or inspect the cluster
 * after the run), the built CLI run with a signal sent when its output reaches a point, kubectl against the
 * sandbox, and a local HTTP server that echoes what it received.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repo } from '../commands/run-cli.js';

export const cli = path.join(repo, 'bin/runbook.js');

export interface ExternalSandbox {
  kubeconfig: string;
  api: string;
  process: ChildProcess;
  /** Everything the sandbox printed on stdout so far. */
  output: () => string;
  stop: () => void;
}

/** `runbook sandbox --kubeconfig DIR/kubeconfig EXTRA…` in the background; resolves once it printed its addresses. */
export function startExternalSandbox(dir: string, extra: string[] = [], name = 'kubeconfig'): Promise<ExternalSandbox> {
  const kubeconfig = path.join(dir, name);
  const child = spawn(process.execPath, [cli, 'sandbox', '--kubeconfig', kubeconfig, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const api = /^api: (\S+)/m.exec(out);
      if (api && out.includes('connect-to:')) {
        resolve({ kubeconfig, api: api[1]!, process: child, output: () => out, stop: () => void child.kill('SIGTERM') });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code} before it was ready: ${err}`)));
  });
}

/** `kubectl get KINDS -n NS -o name` against a kubeconfig, with a fresh cache; '' when nothing is there. */
export function kubectlNames(kubeconfig: string, cacheDir: string, kinds = 'models,virtualservices,gateways', namespace = 'seldon-mesh'): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', kinds, '-n', namespace, '-o', 'name'], {
    encoding: 'utf8',
  }).trim();
}

export interface SignalledRun {
  code: number | null;
  /** The signal that ended the CLI itself, when it did not exit on its own. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether `when` matched and the signal was sent. */
  sent: boolean;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Send `signal` to the CLI when its stdout matches; or call `onMatch` instead. */
  when?: RegExp;
  signal?: NodeJS.Signals;
  onMatch?: (child: ChildProcess) => void;
  /** Send `signal` after this many milliseconds instead of waiting for output. */
  afterMs?: number;
}

/** Runs the built CLI and, when its output reaches `when` (or after `afterMs`), signals it. */
export function runSignalled(args: string[], options: RunOptions = {}): Promise<SignalledRun> {
  // RUNBOOK_VERBOSE: the plain reporter's step start and end lines, which `when` patterns wait for.
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, RUNBOOK_VERBOSE: '1', ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd ?? repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const fire = () => {
      if (sent) return;
      sent = true;
      if (options.onMatch) options.onMatch(child);
      else child.kill(options.signal ?? 'SIGINT');
    };
    const timer = options.afterMs !== undefined ? setTimeout(fire, options.afterMs) : undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (options.when && options.when.test(stdout)) fire();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, sent, ms: Date.now() - started });
    });
  });
}

export interface EchoRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EchoServer {
  port: number;
  requests: EchoRequest[];
  close: () => Promise<void>;
}

/** An HTTP server on 127.0.0.1 that answers every request with it, as JSON, and remembers it. */
export function startEchoServer(): Promise<EchoServer> {
  const requests: EchoRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(seen);
      res.setHeader('content-type', 'application/json');
      res.end(`${JSON.stringify(seen)}\n`);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
