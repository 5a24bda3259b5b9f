/**
 * A thin REST client over the kubeconfig's server, credentials and TLS, with kept-alive connections.
 * Thin on purpose: steps must send exactly the requests kubectl sends (field selectors, resourceVersions,
 * patch types), and client-node's generated APIs hide those.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { KubeAccess } from '../core/step.js';
import { apiErrorFrom, connectionError } from './errors.js';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Retry 429 and 5xx answers and dropped connections (only for idempotent requests). Default: true for GET. */
  retry?: boolean;
  signal?: AbortSignal;
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** How often and how long to retry throttled or failed idempotent requests. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const defaultRetry: RetryPolicy = { attempts: 8, baseDelayMs: 25, maxDelayMs: 1000 };

/** What a KubeConfig yields for one request: headers and TLS material. */
interface Prepared {
  headers: Record<string, string>;
  tls: https.AgentOptions;
}

export class KubeClient {
  private readonly base: URL;
  private prepared?: Promise<Prepared>;
  private preparedAt = 0;
  private agent?: http.Agent;
  retry: RetryPolicy = defaultRetry;

  constructor(readonly access: KubeAccess) {
    this.base = new URL(access.server);
  }

  /** Sends one request; error statuses come back as they are (see `requestOk` for the throwing form). */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const retry = options.retry ?? method === 'GET';
    const policy = this.retry;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.once(method, path, options);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (!retry || attempt >= policy.attempts || !isTransient(error)) throw isNetworkError(error) ? connectionError(this.base, error) : error;
        await sleep(backoff(policy, attempt), options.signal);
        continue;
      }
      const throttled = response.status === 429 || (response.status >= 500 && response.status !== 501);
      if (!retry || !throttled || attempt >= policy.attempts) return response;
      await sleep(retryAfterMs(response) ?? backoff(policy, attempt), options.signal);
    }
  }

  /** Like `request`, but an error status throws an `ApiError` carrying the server's Status. */
  async requestOk(method: string, path: string, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.request(method, path, options);
    if (response.status >= 400) throw apiErrorFrom(response.status, response.text);
    return response.text ? JSON.parse(response.text) : undefined;
  }

  /**
   * Opens a watch and calls `onEvent` per line as it arrives. Resolves when the server ends the stream
   * (timeout or a dropped connection) or the signal aborts; an error status rejects with an `ApiError`.
   */
  async watch(path: string, query: RequestOptions['query'], onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const { request, ready } = await this.open('GET', path, { query, signal, accept: 'application/json' });
    request.end();
    const res = await ready;
    if ((res.statusCode ?? 0) >= 400) {
      const text = await readAll(res);
      throw apiErrorFrom(res.statusCode ?? 0, text);
    }
    await new Promise<void>((resolve) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            continue; // A torn line from a dropped connection: the re-watch resends from the last version.
          }
          onEvent(event);
        }
      });
      const done = () => resolve();
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
      request.on('error', done);
    });
  }

  private async once(method: string, path: string, options: RequestOptions): Promise<Response> {
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const { request, ready } = await this.open(method, path, options, body);
    request.end(body);
    const res = await ready;
    const text = await readAll(res);
    return { status: res.statusCode ?? 0, headers: res.headers, text };
  }

  private async open(method: string, path: string, options: RequestOptions, body?: string) {
    const prepared = await this.prepare();
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      ...prepared.headers,
      Accept: options.accept ?? 'application/json',
      'User-Agent': 'runbook',
    };
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, { method, headers, agent: this.agentFor(secure, prepared), signal: options.signal });
    const ready = new Promise<http.IncomingMessage>((resolve, reject) => {
      request.on('response', resolve);
      request.on('error', reject);
    });
    return { request, ready };
  }

  /**
   * Credentials and TLS from the kubeconfig. Re-read after a minute so exec-plugin and OIDC tokens that expire
   * during a long run are renewed (client-node caches them until they expire); the TLS agent is kept.
   */
  private prepare(): Promise<Prepared> {
    if (this.prepared && Date.now() - this.preparedAt > 60_000) this.prepared = undefined;
    if (!this.prepared) this.preparedAt = Date.now();
    this.prepared ??= (async () => {
      const config = this.access.config as { applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> };
      const opts: https.RequestOptions = { headers: {} };
      await config.applyToHTTPSOptions(opts);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(opts.headers ?? {})) {
        if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
      }
      if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      const material = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase };
      // One secure context for every connection of the client: without it each new socket parses the CA and the
      // client certificate again (a run opens about ten, and at --concurrency N as many per runbook).
      const agentTls: https.AgentOptions = { ...material, secureContext: tls.createSecureContext(material), servername: opts.servername };
      if (opts.rejectUnauthorized !== undefined) agentTls.rejectUnauthorized = opts.rejectUnauthorized;
      return { headers, tls: agentTls };
    })();
    return this.prepared;
  }

  private agentFor(secure: boolean, prepared: Prepared): http.Agent {
    // One kept-alive agent per client: discovery, GETs and watches reuse connections.
    this.agent ??= secure
      ? new https.Agent({ keepAlive: true, maxSockets: 64, ...prepared.tls })
      : new http.Agent({ keepAlive: true, maxSockets: 64 });
    return this.agent;
  }

  /** Closes kept-alive connections (the runner calls this at the end of a run; tests after each client). */
  close(): void {
    this.agent?.destroy();
  }
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+|ERR_TLS\w*|\w*CERT\w*)$/.test(code);
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // A reset or broken kept-alive socket is worth another try; a refused connection means the server is down.
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return exp / 2 + Math.random() * (exp / 2);
}

/** `Retry-After` in seconds (kubectl honours it); capped so a step never sleeps past a few seconds per try. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers['retry-after'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 5) * 1000 : undefined;
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

