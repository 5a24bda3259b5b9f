/**
 * The `curl` step: sends the request curl 7.88.1 would send (through undici) and prints what curl prints — the body
 * on stdout; the progress meter, the `-v` transcript and `curl: (N) …` errors on stderr — with curl's exit codes.
 */
import { writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { CurlArgs } from '../src/core/model.js';
import { mapTarget, parseConnectTo, parseResolve, resolveOverride, type ResolveRule } from '../src/net/connect-to.js';
import { buildCurlRequest, CurlFailure, type CurlRequest } from '../src/net/curl-request.js';
import { ProgressMeter, type Transfer } from '../src/net/curl-progress.js';
import { writeOut } from '../src/net/curl-write-out.js';
import { exchange, httpPool, type DialSpec } from '../src/net/http-pool.js';
import { hostPort, resolveHost } from '../src/net/resolve-host.js';
import { OutputCollector } from './output.js';
import { withVars } from './substitute.js';
import type { ConnectTo, StepContext, StepOutput, StepRunner } from '../src/core/step.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 50;

/** Why a transfer stopped early: a curl failure, or the run's abort signal. */
class Interrupted extends Error {}

interface Response {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Buffer[];
}

/** glibc's buffer for a stdout on a terminal: st_blksize of a pty. */
const TTY_BUFFER = 1024;

/**
 * What a terminal shows: stderr at once, stdout through stdio's line buffer (released at each newline and in whole
 * buffers, the rest at exit). So a body without a final newline comes after curl's `* Connection … left intact`.
 */
class Screen {
  text = '';
  private held = '';

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    if (stream === 'stderr') {
      this.text += chunk;
      return;
    }
    this.held += chunk;
    const newline = this.held.lastIndexOf('\n') + 1;
    const released = Math.max(newline, this.held.length - (this.held.length % TTY_BUFFER));
    this.text += this.held.slice(0, released);
    this.held = this.held.slice(released);
  }

  /** At exit stdio flushes what it still holds. */
  end(): string {
    this.text += this.held;
    this.held = '';
    return this.text;
  }
}

/** State of one curl invocation across its redirects. */
class Session {
  readonly out: OutputCollector;
  readonly screen = new Screen();
  readonly transfer: Transfer = { downloaded: 0, uploaded: 0 };
  readonly meter: ProgressMeter;
  readonly tty: boolean;
  /** curl traces `[N bytes data]` unless the body goes to a terminal (tool_cb_dbg.c: isatty and no -o). */
  readonly traceData: boolean;
  readonly started = Date.now();
  connection = -1;
  response: Response | undefined;
  /** The address shown in the transcript; `name` is what connect errors call the host. */
  remote = { ip: '', port: 0, name: '' };
  /** The dial target of the previous leg, to tell a reused connection from a new one. */
  lastDial = '';
  /** Host as curl names it in `Connection #N to host …` lines. */
  connectedName = '';
  redirects = 0;

  constructor(
    readonly args: CurlArgs,
    readonly ctx: StepContext,
    readonly stepRules: readonly ConnectTo[],
    readonly resolveRules: readonly ResolveRule[],
  ) {
    this.out = new OutputCollector({
      write: (stream, text) => {
        this.screen.write(stream, text);
        ctx.write(stream, text);
      },
    });
    // On a terminal curl hides the meter unless the body goes to a file (its tool_operate.c checks isatty).
    this.tty = ctx.terminal !== false;
    this.traceData = !this.tty || args.output !== undefined;
    this.meter = new ProgressMeter(!args.silent && (!this.tty || args.output !== undefined), (t) => this.out.err(t), this.transfer);
  }

  info(line: string): void {
    if (this.args.verbose) this.out.err(`* ${line}\n`);
  }

  /** Milliseconds left before -m or the step's deadline. */
  remainingMs(): number {
    const maxTime = this.args.maxTimeSec !== undefined ? this.started + this.args.maxTimeSec * 1000 : Infinity;
    return Math.min(maxTime, this.ctx.deadline) - Date.now();
  }
}

/** Resolves where the socket for `url` goes, printing curl's lines for step-level `--connect-to`/`--resolve`. */
async function dialSpec(s: Session, url: URL): Promise<DialSpec> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const own = mapTarget(host, port, s.stepRules);
  let dialHost = own.host;
  let dialPort = own.port;
  let shownPort = port;
  if (own.rule) {
    if (own.rule.toHost !== '') s.info(`Connecting to hostname: ${own.rule.toHost}`);
    if (own.rule.toPort !== '') s.info(`Connecting to port: ${own.rule.toPort}`);
    // curl 7.88 prints a null name for hosts reached through --connect-to.
    s.connectedName = '(nil)';
    shownPort = dialPort;
  } else {
    // The run's own mappings (sandbox, --connect-to of `runbook run`) are invisible: the transcript shows the
    // address the runbook asked for, so recordings made against a real cluster still match.
    const run = mapTarget(host, port, s.ctx.connectTo);
    dialHost = run.host;
    dialPort = run.port;
    s.connectedName = host;
  }
  let ip = resolveOverride(dialHost, dialPort, s.resolveRules);
  if (ip !== undefined) s.info(`Hostname ${dialHost} was found in DNS cache`);
  // curl shows the meter once the transfer starts: after the synchronous set-up lines, before the real lookup.
  s.meter.start();
  ip ??= await resolveHost(dialHost);
  if (ip === undefined) throw new CurlFailure(6, `Could not resolve host: ${dialHost}`);
  const shownIp = own.rule || dialHost === host ? ip : ((await resolveHost(host)) ?? ip);
  s.remote = { ip: shownIp, port: shownPort, name: own.rule ? dialHost : host };
  const origin = `${url.protocol}//${url.host}`;
  const tls = url.protocol === 'https:' ? { servername: /^[\d.]+$|:/.test(host) ? undefined : host, insecure: s.args.insecure } : undefined;
  return { origin, ip, port: dialPort, tls, h2c: s.args.http2PriorKnowledge && !tls };
}

function requestLines(req: CurlRequest, path: string, http2: boolean): string {
  const lines = [`${req.method} ${path} HTTP/${http2 ? '2' : '1.1'}`, ...req.headers.map(([n, v]) => `${n}: ${v}`), ''];
  return lines.map((l) => `> ${l}\r\n`).join('');
}

/** One request/response leg: connect, send, receive; prints the transcript as events come. */
async function leg(s: Session, req: CurlRequest, follow: boolean): Promise<Response> {
  const { args, out } = s;
  const spec = await dialSpec(s, req.url);
  const reused = s.lastDial === JSON.stringify(spec);
  s.lastDial = JSON.stringify(spec);
  if (!reused) {
    s.connection++;
    s.info(`  Trying ${hostPort(s.remote.ip, s.remote.port)}...`);
  } else {
    // The address is the one curl's heap gives its connection bundle; only its shape is stable.
    s.info('Found bundle for host: 0x0 [serially]');
    s.info('Can not multiplex, even if we wanted to');
    s.info(`Re-using existing connection #${s.connection} with host ${s.connectedName}`);
  }
  let followRedirect = false;
  const client = httpPool(s.ctx.cache).client(spec);
  const path = req.url.pathname + req.url.search;
  const response: Response = { status: 0, statusText: '', headers: [], body: [] };
  let connected = false;
  let pendingData: { size: number; chunks: number } | undefined;
  const chunked = (): boolean => response.headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
  const flushData = (ended: boolean): void => {
    if (!pendingData) return;
    // curl traces the bytes as read from the socket, so chunked framing counts.
    const framing = chunked() ? pendingData.size.toString(16).length + 4 + (ended && pendingData.chunks === 1 ? 5 : 0) : 0;
    if (args.verbose && s.traceData) out.err(`{ [${pendingData.size + framing} bytes data]\n`);
    pendingData = { size: -1, chunks: 0 };
  };
  let failure: CurlFailure | undefined;
  const x = exchange(client, { path, method: req.method, headers: req.headers, body: req.body }, {
    onConnected() {
      connected = true;
      if (!reused) s.info(`Connected to ${s.connectedName} (${s.remote.ip}) port ${s.remote.port} (#${s.connection})`);
      if (req.authUser !== undefined) s.info(`Server auth using Basic with user '${req.authUser}'`);
      if (args.verbose) out.err(requestLines(req, path, spec.h2c));
      const size = req.body?.length ?? 0;
      if (size > 0 && args.verbose && s.traceData) out.err(`} [${Math.min(size, 65536)} bytes data]\n`);
      if (size >= 65536) s.info('We are completely uploaded and fine');
      s.transfer.uploaded += size;
    },
    onHeaders(status, statusText, headers) {
      Object.assign(response, { status, statusText, headers });
      s.response = response;
      followRedirect = follow && REDIRECTS.has(status) && headers.some(([n]) => n.toLowerCase() === 'location');
      const length = headers.find(([n]) => n.toLowerCase() === 'content-length');
      s.transfer.downloadSize = length ? Number(length[1]) : undefined;
      const version = spec.h2c ? 'HTTP/2' : 'HTTP/1.1';
      const block = [`${version} ${status}${spec.h2c ? '' : ` ${statusText}`}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
      const failing = args.fail && status >= 400;
      if (args.verbose) out.err(block.map((l) => `< ${l}\r\n`).join('') + (failing ? '' : '< \r\n'));
      if (failing) {
        failure = new CurlFailure(22, `The requested URL returned error: ${status}`);
        x.abort(failure);
        return;
      }
      if (args.include || args.head) out.out(block.map((l) => `${l}\r\n`).join('') + '\r\n');
      if (followRedirect) s.info('Ignoring the response-body');
    },
    onData(chunk) {
      if (!pendingData) pendingData = { size: chunk.length, chunks: 1 };
      else if (pendingData.size >= 0) {
        flushData(false);
      }
      s.transfer.downloaded += chunk.length;
      response.body.push(chunk);
      if (!followRedirect && args.output === undefined) out.out(chunk.toString('utf8'));
    },
  });
  const onAbort = (): void => x.abort(new Interrupted('aborted'));
  s.ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    const ms = Date.now() - s.started;
    const got = s.transfer.downloadSize !== undefined ? `${s.transfer.downloaded} out of ${s.transfer.downloadSize}` : `${s.transfer.downloaded}`;
    failure = new CurlFailure(28, connected ? `Operation timed out after ${ms} milliseconds with ${got} bytes received` : `Connection timed out after ${ms} milliseconds`);
    x.abort(failure);
  }, Math.max(0, s.remainingMs()));
  try {
    await x.done;
    flushData(true);
    return response;
  } catch (err) {
    if (!connected || failure) httpPool(s.ctx.cache).discard(spec);
    if (failure) throw failure;
    if (err instanceof Interrupted) throw err;
    const code = (err as { code?: string }).code;
    if (!connected) {
      const reason = code === 'ECONNREFUSED' ? 'Connection refused' : code === 'EHOSTUNREACH' ? 'No route to host' : (err as Error).message;
      s.info(`connect to ${s.remote.ip} port ${s.remote.port} failed: ${reason}`);
      throw new CurlFailure(7, `Failed to connect to ${s.remote.name} port ${s.remote.port} after ${Date.now() - s.started} ms: Couldn't connect to server`);
    }
    if (response.status === 0) throw new CurlFailure(52, 'Empty reply from server');
    throw new CurlFailure(56, `Recv failure: ${code === 'ECONNRESET' ? 'Connection reset by peer' : (err as Error).message}`);
  } finally {
    clearTimeout(timer);
    s.ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The next request after a 3xx with -L, or undefined when there is nothing to follow. */
function redirectRequest(s: Session, req: CurlRequest, res: Response): CurlRequest | undefined {
  if (!s.args.location || !REDIRECTS.has(res.status)) return undefined;
  const location = res.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
  if (location === undefined) return undefined;
  const url = new URL(location, req.url);
  const toGet = (res.status === 303 && req.method !== 'HEAD') || ((res.status === 301 || res.status === 302) && req.method === 'POST');
  if (toGet && s.args.method === undefined && req.method !== 'GET') s.info(`Switch from ${req.method} to GET`);
  const method = toGet && s.args.method === undefined ? 'GET' : req.method;
  const hostName = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const headers = req.headers
    .filter(([n]) => !(toGet && /^content-(length|type)$/i.test(n)))
    .map(([n, v]): [string, string] => (n === 'Host' ? [n, hostName] : [n, v]));
  return { ...req, url, method, headers, body: toGet ? undefined : req.body };
}

function userInfoUrl(url: URL, user: string | undefined): string {
  if (user === undefined) return url.href;
  const copy = new URL(url.href);
  const colon = user.indexOf(':');
  copy.username = colon < 0 ? user : user.slice(0, colon);
  copy.password = colon < 0 ? '' : user.slice(colon + 1);
  return copy.href;
}

async function transfer(s: Session): Promise<{ req: CurlRequest; res: Response }> {
  let req = await buildCurlRequest(s.args, s.ctx.cwd);
  if (!s.args.silent) for (const w of req.warnings) s.out.err(`${w}\n`);
  for (const r of s.resolveRules) s.info(`Added ${r.host}:${r.port}:${r.addresses.join(',')} to DNS cache`);
  for (;;) {
    const follow = s.args.location && s.redirects < MAX_REDIRECTS;
    const res = await leg(s, req, follow);
    const next = follow ? redirectRequest(s, req, res) : undefined;
    if (!next) return { req, res };
    s.info(`Connection #${s.connection} to host ${s.connectedName} left intact`);
    s.info(`Issue another request to this URL: '${userInfoUrl(next.url, s.args.user)}'`);
    s.redirects++;
    req = next;
  }
}

export const curl: StepRunner<'curl'> = {
  async run(rawArgs, ctx): Promise<StepOutput> {
    const args = withVars.curl(rawArgs, ctx.vars);
    const stepRules = args.connectTo.map(parseConnectTo).filter((r): r is ConnectTo => r !== undefined);
    const resolveRules = args.resolve.map(parseResolve).filter((r): r is ResolveRule => r !== undefined);
    const s = new Session(args, ctx, stepRules, resolveRules);
    let exitCode = 0;
    let errorMessage: string | undefined;
    let result: { req: CurlRequest; res: Response } | undefined;
    try {
      result = await transfer(s);
      s.meter.done();
      const closing = result.res.headers.some(([n, v]) => n.toLowerCase() === 'connection' && /close/i.test(v));
      s.info(closing ? `Closing connection ${s.connection}` : `Connection #${s.connection} to host ${s.connectedName} left intact`);
      if (args.output !== undefined) await writeFile(resolvePath(ctx.cwd, args.output), Buffer.concat(result.res.body));
    } catch (err) {
      if (err instanceof Interrupted) {
        s.meter.stop();
        return { stdout: s.out.stdout, stderr: s.out.stderr, exitCode: 130, screen: s.screen.end() };
      }
      if (!(err instanceof CurlFailure)) throw err;
      exitCode = err.code;
      errorMessage = err.message;
      s.meter.tick();
      s.info(err.message);
      if (err.code === 6) s.meter.stop();
      else s.meter.done();
      if (![1, 3, 43].includes(err.code)) s.info(`Closing connection ${Math.max(0, s.connection)}`);
      if (!args.silent || args.showError) s.out.err(`curl: (${err.code}) ${err.message}\n`);
    }
    const res = s.response ?? result?.res;
    if (args.writeOut !== undefined) {
      const headers = res?.headers ?? [];
      const w = writeOut(args.writeOut, {
        status: res?.status ?? 0,
        httpVersion: args.http2PriorKnowledge ? '2' : '1.1',
        method: result?.req.method ?? args.method ?? 'GET',
        url: result?.req.url.href ?? args.url,
        contentType: headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1],
        headers,
        sizeDownload: s.transfer.downloaded,
        sizeUpload: s.transfer.uploaded,
        sizeHeader: headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0),
        exitCode,
        errorMessage,
        remoteIp: s.remote.ip,
        remotePort: s.remote.port,
        numRedirects: s.redirects,
        scheme: (result?.req.url.protocol ?? 'http:').slice(0, -1),
        filename: args.output,
        elapsedSec: (Date.now() - s.started) / 1000,
      });
      for (const warning of w.warnings) s.out.err(`${warning}\n`);
      s.out.out(w.text);
    }
    const data = res && res.status > 0
      ? {
          type: 'http' as const,
          status: res.status,
          headers: Object.fromEntries(res.headers.map(([n, v]) => [n.toLowerCase(), v])),
          body: Buffer.concat(res.body).toString('utf8'),
          httpVersion: args.http2PriorKnowledge ? '2' : '1.1',
        }
      : undefined;
    return { stdout: s.out.stdout, stderr: s.out.stderr, exitCode, data, screen: s.screen.end() };
  },
};
