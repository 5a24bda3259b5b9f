/**
 * One undici Client per (logical origin, dialled address, protocol) for the whole run, kept in the run's cache so
 * keep-alive connections survive from one curl step to the next. Sockets go to the mapped address; the logical origin
 * stays in the Host header.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Client, type buildConnector } from 'undici';

export interface DialSpec {
  /** `http://host:port` as written in the URL. */
  origin: string;
  ip: string;
  port: number;
  /** TLS settings for https URLs. */
  tls?: { servername?: string; insecure: boolean };
  /** `--http2-prior-knowledge`: speak HTTP/2 on a cleartext socket. */
  h2c: boolean;
}

/** Clients for one run; `close()` when the run ends (idle sockets are unref'd, so forgetting it never hangs). */
export class HttpPool {
  private readonly clients = new Map<string, Client>();

  client(spec: DialSpec): Client {
    const key = JSON.stringify(spec);
    let client = this.clients.get(key);
    if (!client || client.destroyed || client.closed) {
      client = new Client(spec.origin, { connect: dialer(spec), allowH2: spec.h2c || undefined, pipelining: 1 });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Drops a client after a timeout or abort left it in an unknown state. */
  discard(spec: DialSpec): void {
    const key = JSON.stringify(spec);
    this.clients.get(key)?.destroy().catch(() => undefined);
    this.clients.delete(key);
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close().catch(() => undefined)));
  }
}

function dialer(spec: DialSpec): buildConnector.connector {
  return (_opts, callback): void => {
    const socket = spec.tls
      ? tls.connect({
          host: spec.ip,
          port: spec.port,
          servername: spec.tls.servername,
          rejectUnauthorized: !spec.tls.insecure,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: spec.ip, port: spec.port });
    const onError = (err: Error): void => callback(err, null);
    socket.once('error', onError);
    socket.once(spec.tls ? 'secureConnect' : 'connect', () => {
      socket.off('error', onError);
      socket.setNoDelay(true);
      // undici switches to its HTTP/2 session when it sees this, which is exactly HTTP/2 with prior knowledge.
      if (spec.h2c) Object.assign(socket, { alpnProtocol: 'h2' });
      callback(null, socket);
    });
  };
}

const POOL_KEY = 'net:http-pool';

/** The run's pool, created on first use. */
export function httpPool(cache: Map<string, unknown>): HttpPool {
  let pool = cache.get(POOL_KEY);
  if (!(pool instanceof HttpPool)) {
    pool = new HttpPool();
    cache.set(POOL_KEY, pool);
  }
  return pool as HttpPool;
}

/** What one exchange reports, in the order it happens. */
export interface ExchangeEvents {
  /** The request is on a connected socket and about to be written. */
  onConnected(): void;
  onHeaders(status: number, statusText: string, headers: [string, string][]): void;
  onData(chunk: Buffer): void;
}

export interface ExchangeRequest {
  path: string;
  method: string;
  headers: [string, string][];
  body?: Buffer;
}

/** Runs one request; resolves when the response ended. `abort(err)` cancels it at any point. */
export function exchange(client: Client, req: ExchangeRequest, events: ExchangeEvents): { done: Promise<void>; abort(err: Error): void } {
  let abortFn: ((err: Error) => void) | undefined;
  let pendingAbort: Error | undefined;
  let settle: { resolve(): void; reject(err: Error): void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  client.dispatch(
    {
      path: req.path,
      method: req.method,
      headers: req.headers.flat(),
      body: req.body,
      headersTimeout: 0,
      bodyTimeout: 0,
      // undici closes after HEAD by default; curl keeps the connection (and so sends `connection: keep-alive`).
      reset: false,
    },
    {
      onConnect(abort: (err?: Error) => void) {
        abortFn = abort;
        if (pendingAbort) return abort(pendingAbort);
        events.onConnected();
      },
      onHeaders(status: number, raw: Buffer[] | string[], resume: () => void, statusText: string) {
        const headers: [string, string][] = [];
        for (let i = 0; i + 1 < raw.length; i += 2) headers.push([String(raw[i]), String(raw[i + 1])]);
        events.onHeaders(status, statusText ?? '', headers);
        return true;
      },
      onData(chunk: Buffer) {
        events.onData(chunk);
        return true;
      },
      onComplete() {
        settle?.resolve();
      },
      onError(err: Error) {
        settle?.reject(err);
      },
    },
  );
  return {
    done,
    abort(err: Error) {
      if (abortFn) abortFn(err);
      else {
        pendingAbort = err;
        settle?.reject(err);
      }
    },
  };
}
