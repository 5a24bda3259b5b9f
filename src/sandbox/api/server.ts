/**
 * The sandbox's Kubernetes API over HTTPS on 127.0.0.1: bearer-token auth, fault injection, and dispatch to
 * discovery, OpenAPI, the resource handlers and watches.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../../core/api-status.js';
import type { Store } from '../store/store.js';
import type { PodLogs } from '../store/pod-logs.js';
import { AppliedConfigs } from '../patch/apply.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import type { HandlerContext, Reply } from './handlers.js';
import { create, get, list, patch, remove, removeCollection, replace } from './handlers.js';
import { readBody, sendError, sendJson } from './http-util.js';
import { openApiDocument, openApiIndex, sendOpenApiV2 } from './openapi.js';
import { PROTOBUF, protobufToJson } from './protobuf.js';
import type { ResourceRoute } from './routes.js';
import { finalizeNamespace } from './finalize.js';
import { answerReview, isReviewPath } from './reviews.js';
import { parseResourcePath } from './routes.js';
import { asTable, tableWatch, wantsTable } from './table.js';
import { selfSignedCertificate } from './tls.js';
import { serveWatch } from './watch.js';

export interface ApiServerOptions {
  store: Store;
  token: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Share (0..1) of non-watch requests answered with 500 or 429. */
  faultApiErrorRate?: number;
  /** Seed of the fault sequence, so a test sees the same faults on every run. */
  faultSeed?: number;
  /** End every watch after this many ms. */
  faultWatchDropMs?: number;
  bookmarkIntervalMs?: number;
  /** What `kubectl logs` reads; no logs when absent. */
  logs?: PodLogs;
}

export interface ApiServer {
  url: string;
  port: number;
  /** PEM of the server's self-signed certificate: the CA clients must trust. */
  ca: string;
  close(): Promise<void>;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same faults. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPEN_PATHS = new Set(['/healthz', '/livez', '/readyz']);

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const expected = Buffer.from(`Bearer ${token}`);
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function isWatch(req: IncomingMessage, route: ResourceRoute, query: URLSearchParams): boolean {
  const watch = query.get('watch');
  return req.method === 'GET' && route.name === undefined && (watch === 'true' || watch === '1');
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store, token } = options;
  const ctx: HandlerContext = { store, applied: new AppliedConfigs() };
  const roll = random(options.faultSeed ?? 1);
  const rate = options.faultApiErrorRate ?? 0;
  let address = '127.0.0.1:0';

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const { pathname, searchParams: query } = url;
    if (OPEN_PATHS.has(pathname)) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!authorized(req, token)) throw ApiError.of('Unauthorized', 'Unauthorized');
    if (isReviewPath(pathname)) {
      const raw = (await readBody(req)).toString('utf8');
      let spec: unknown;
      try {
        spec = (JSON.parse(raw) as { spec?: unknown }).spec;
      } catch {
        // Protobuf from a typed client: the answer does not depend on the spec.
      }
      const review = answerReview(req.method ?? '', pathname, spec);
      sendJson(res, review.code, review.body);
      return;
    }
    const parsed = parseResourcePath(store.types, pathname);
    const route = parsed?.kind === 'resource' ? parsed.route : undefined;
    if (route && isWatch(req, route, query)) {
      const transform = wantsTable(req.headers.accept) ? tableWatch(route, query) : undefined;
      serveWatch(res, store, route, query, { dropAfterMs: options.faultWatchDropMs, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000, transform });
      return;
    }
    if (rate > 0 && roll() < rate) {
      const throttle = roll() < 0.5;
      const error = throttle
        ? ApiError.of('TooManyRequests', 'the server has received too many requests and has asked us to try again later (injected fault)')
        : ApiError.of('InternalError', 'an error on the server ("injected fault") has prevented the request from succeeding');
      sendError(res, error, throttle ? { 'retry-after': String(Math.floor(roll() * 2)) } : {});
      return;
    }
    if (route?.subresource === 'log' && route.name !== undefined) {
      if (req.method !== 'GET') throw ApiError.of('MethodNotAllowed', 'the server does not allow this method on the requested resource');
      sendLog(res, route.namespace, route.name, query);
      return;
    }
    if (pathname === '/openapi/v2' && req.method === 'GET') {
      sendOpenApiV2(res, store.types, req.headers.accept);
      return;
    }
    const raw = await readBody(req);
    const protobuf = (req.headers['content-type'] ?? '').startsWith(PROTOBUF);
    const body = protobuf && raw.length > 0 ? await protobufToJson(raw) : raw.toString('utf8');
    // The handlers run synchronously from here, so the context may carry this request's User-Agent (default field manager).
    ctx.userAgent = req.headers['user-agent'];
    const reply = route ? resource(route, req, query, body) : other(pathname, parsed);
    const tabled = route && req.method === 'GET' && wantsTable(req.headers.accept) ? asTable(route, reply, query) : reply;
    const warnings = reply.warnings ?? [];
    if (warnings.length > 0) res.setHeader('warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
    sendJson(res, tabled.code, tabled.body);
  }

  /** `GET …/pods/NAME/log?container=C`: the container's lines as plain text. */
  function sendLog(res: ServerResponse, namespace: string | undefined, name: string, query: URLSearchParams): void {
    const podType = store.types.byKind('', 'Pod')!;
    const pod = store.get(podType, namespace, name);
    const containers = ((pod.spec?.containers ?? []) as { name: string }[]).map((c) => c.name);
    const container = query.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
    if (container === undefined) {
      throw ApiError.of('BadRequest', `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    }
    if (!containers.includes(container)) throw ApiError.of('BadRequest', `container ${container} is not valid for pod ${name}`);
    const tail = query.get('tailLines');
    const text = options.logs?.read(namespace ?? '', name, container, { tailLines: tail === null ? undefined : Number(tail), timestamps: query.get('timestamps') === 'true' }) ?? '';
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
    res.end(text);
  }

  function other(pathname: string, parsed: ReturnType<typeof parseResourcePath>): Reply {
    if (parsed?.kind === 'group-version') {
      const doc = apiResourceList(store.types, parsed.group, parsed.version);
      if (doc) return { code: 200, body: doc };
    } else if (pathname === '/version') {
      return { code: 200, body: versionInfo() };
    } else if (pathname === '/api') {
      return { code: 200, body: apiVersions(address) };
    } else if (pathname === '/apis') {
      return { code: 200, body: apiGroupList(store.types) };
    } else if (pathname.startsWith('/apis/') && pathname.split('/').length === 3) {
      const doc = apiGroup(store.types, pathname.split('/')[2]!);
      if (doc) return { code: 200, body: doc };
    } else if (pathname === '/openapi/v3') {
      return { code: 200, body: openApiIndex(store.types) };
    } else if (pathname.startsWith('/openapi/v3/')) {
      const doc = openApiDocument(store.types, pathname.slice('/openapi/v3/'.length));
      if (doc) return { code: 200, body: doc };
    }
    throw ApiError.of('NotFound', 'the server could not find the requested resource');
  }

  function resource(route: ResourceRoute, req: IncomingMessage, query: URLSearchParams, body: string): Reply {
    // The verbs on one object take an ObjectRoute: the type says the URL named it.
    const { name } = route;
    const item = name === undefined ? undefined : { ...route, name };
    // …/finalize takes only PUT (the API server registers an update there, nothing else).
    if (route.subresource === 'finalize' && req.method !== 'PUT') {
      throw ApiError.of('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    switch (req.method ?? '') {
      case 'GET':
        return item ? get(ctx, item) : list(ctx, route, query);
      case 'POST':
        if (!item) return create(ctx, route, query, body);
        break;
      case 'PUT':
        if (item?.subresource === 'finalize') return finalizeNamespace(ctx, item, query, body);
        if (item) return replace(ctx, item, query, body);
        break;
      case 'PATCH':
        if (item) return patch(ctx, item, query, body, req.headers['content-type']);
        break;
      case 'DELETE':
        if (route.subresource) break;
        return item ? remove(ctx, item, query, body) : removeCollection(ctx, route, query, body);
    }
    throw ApiError.of('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  const tls = selfSignedCertificate();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : ApiError.of('InternalError', `Internal error occurred: ${(error as Error).message}`);
      if (res.headersSent) res.end();
      else sendError(res, apiError);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    ca: tls.cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Watches and keep-alive connections would hold close() open forever.
        server.closeAllConnections();
      }),
  };
}
