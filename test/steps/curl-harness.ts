/**
 * Runs the native curl step and the real /usr/bin/curl on the same arguments, and normalises volatile values.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl } from '../../steps/curl.js';
import type { StepContext, StepOutput } from '../../src/core/step.js';
import type { CurlArgs } from '../../src/core/model.js';
import { stepContext } from './context.js';

export function curlArgs(url: string, extra: Partial<CurlArgs> = {}): CurlArgs {
  return {
    url, headers: [], data: [], verbose: false, silent: false, showError: false, include: false, head: false,
    location: false, insecure: false, fail: false, connectTo: [], resolve: [], http2PriorKnowledge: false, ...extra,
  };
}

/** The real curl command line for the same typed arguments. */
export function argvOf(a: CurlArgs): string[] {
  const argv: string[] = [];
  if (a.method) argv.push('-X', a.method);
  for (const h of a.headers) argv.push('-H', h);
  for (const d of a.data) argv.push(`--${d.flag}`, d.value);
  const flags: [boolean, string][] = [[a.verbose, '-v'], [a.silent, '-s'], [a.showError, '-S'], [a.include, '-i'], [a.head, '-I'],
    [a.location, '-L'], [a.insecure, '-k'], [a.fail, '--fail'], [a.http2PriorKnowledge, '--http2-prior-knowledge']];
  for (const [on, flag] of flags) if (on) argv.push(flag);
  if (a.output !== undefined) argv.push('-o', a.output);
  if (a.writeOut !== undefined) argv.push('-w', a.writeOut);
  if (a.user !== undefined) argv.push('-u', a.user);
  for (const c of a.connectTo) argv.push('--connect-to', c);
  for (const r of a.resolve) argv.push('--resolve', r);
  if (a.maxTimeSec !== undefined) argv.push('-m', String(a.maxTimeSec));
  if (a.connectTimeoutSec !== undefined) argv.push('--connect-timeout', String(a.connectTimeoutSec));
  argv.push(a.url);
  return argv;
}

export interface Ran {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function runReal(args: CurlArgs, cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile('/usr/bin/curl', argvOf(args), { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: unknown }).code ?? 1) : 0;
      resolve({ stdout, stderr, exitCode: code });
    });
  });
}

export function context(cwd: string, extra: Partial<StepContext> = {}): StepContext {
  // The differential tests run the real curl with stdout on a pipe; emulate that.
  return stepContext({ cwd, terminal: false, ...extra });
}

export function runNative(args: CurlArgs, ctx: StepContext): Promise<StepOutput> {
  return curl.run(args, ctx);
}

const METER = String.raw`\r *\d+ +[\dkMG.]+ +\d+ +[\dkMG.]+ +\d+ +[\dkMG.]+ +[\dkMG.]+ +[\dkMG.]+ [-:\d ]{8} [-:\d ]{8} [-:\d ]{8} +[\dkMG.]+`;
const METER_HEADER = String.raw`  % Total .*\n +Dload .*\n`;

/**
 * The meter's first and final lines stay (as placeholders); the lines in between depend on crossing wall-clock
 * seconds, which two runs do at different moments, so they go.
 */
function normaliseMeter(text: string): string {
  return text
    .replace(new RegExp(METER_HEADER + METER, 'g'), '[METER-START]')
    .replace(new RegExp(METER + '(?=\n)', 'g'), '[METER-END]')
    .replace(new RegExp(METER, 'g'), '');
}

/** Removes only what varies from run to run: ports, dates, timings, meter figures, heap addresses. */
export function normalise(text: string, ports: number[]): string {
  let out = normaliseMeter(text)
    .replace(/^([<]? ?date: ).*?(\r?)$/gim, '$1[DATE]$2')
    .replace(/after \d+ (ms|milliseconds)/g, 'after [T] $1')
    .replace(/0x[0-9a-f]+/g, '0x[ADDR]')
    .replace(/"local_port":\d+/g, '"local_port":[PORT]');
  for (const port of ports) out = out.split(String(port)).join('[PORT]');
  return out;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'runbook-curl-'));
}

export interface TestServer {
  port: number;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 that answers the routes the tests use. */
export async function startServer(): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const url = req.url ?? '/';
      if (url.startsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such thing\n');
      } else if (url.startsWith('/slow')) {
        setTimeout(() => res.end('late'), 3000).unref();
      } else if (url.startsWith('/moved')) {
        res.writeHead(302, { location: '/echo?from=moved' });
        res.end('moved');
      } else {
        // Known wire differences of undici's HTTP/1.1 writer, kept out of the comparison: it writes `host` in lower
        // case, always adds `connection: keep-alive`, and puts `content-length` last.
        const headers: string[] = [];
        let length: string | undefined;
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = (req.rawHeaders[i] ?? '').toLowerCase();
          const line = `${name}: ${req.rawHeaders[i + 1] ?? ''}`;
          if (name === 'content-length') length = line;
          else if (name !== 'connection') headers.push(line);
        }
        if (length !== undefined) headers.push(length);
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-seen-method', req.method ?? '');
        res.end(JSON.stringify({ method: req.method, url, headers, body }) + '\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening (bound then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
