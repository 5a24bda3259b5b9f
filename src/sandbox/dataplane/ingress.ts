/**
 * The Istio ingress gateway: one TCP port on 127.0.0.1 speaking HTTP/1.1 (curl) and HTTP/2 with prior knowledge
 * (grpcurl -plaintext, grpc-js, curl --http2-prior-knowledge). The first bytes of a connection tell them apart.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { applyToRequest } from './header-ops.js';
import { serveCall, Status, respondTrailersOnly, type GrpcMethods } from './grpc-wire.js';
import { grpcExtraHeaders, grpcStatusOf, localReply, NO_HEALTHY_UPSTREAM, RESET_BEFORE_HEADERS, toHeaderObject, type Reply } from './envoy-reply.js';
import { grpcCallContext } from './mesh-grpc-context.js';
import type { Mesh } from './mesh.js';
import { applyFault, FAULT_ABORT, forwardRest } from './rest-forward.js';
import type { RouteDecision, RouteRequest, Router } from './routing.js';
import type { ServiceUpstream } from './upstream.js';

export interface IngressDeps {
  /** The current route table (rebuilt elsewhere when the cluster changes). */
  routes(): Router;
  mesh: Mesh;
  /** The gRPC methods, loaded after start so that gRPC's modules do not delay the sandbox being ready. */
  grpc(): Promise<GrpcMethods>;
  /** Picks among weighted destinations; injectable for tests. */
  random(): number;
  /** True while the ingress answers 503 because configuration is still propagating. */
  faultActive(): boolean;
  /** A Service other than seldon-mesh that answers for `host`, if one is registered. */
  upstream(host: string): ServiceUpstream | undefined;
}

export interface Ingress {
  server: net.Server;
  close(): Promise<void>;
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** Creates the ingress (not yet listening). */
export function createIngress(deps: IngressDeps): Ingress {
  const sockets = new Set<net.Socket>();
  const http1 = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => onHttp1(deps, req, res));
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 1000 } });
  h2.on('stream', (stream, headers) => onHttp2Stream(deps, stream, headers));
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    let seen: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const compared = Math.min(seen.length, H2_PREFACE.length);
      const h2Prefix = seen.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
      // Wait for the whole preface before deciding when the bytes so far could still be one.
      if (h2Prefix && seen.length < H2_PREFACE.length) return;
      socket.off('data', onData);
      if (h2Prefix) {
        h2.emit('connection', replaying(socket, seen));
        return;
      }
      // Node's HTTP/1 parser takes over the socket's handle but still reads what is pushed back here.
      socket.pause();
      socket.unshift(seen);
      http1.emit('connection', socket);
      socket.resume();
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        http1.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A duplex that replays the bytes read while sniffing, then relays the socket. HTTP/2 sessions read a native
 * socket's handle directly and would miss bytes pushed back with unshift().
 */
function replaying(socket: net.Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => void socket.write(chunk, callback),
    final: (callback) => {
      socket.end();
      callback();
    },
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  duplex.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

function routeOf(deps: IngressDeps, request: RouteRequest): RouteDecision | 'fault' {
  if (deps.faultActive()) return 'fault';
  return deps.routes().route(request, deps.random);
}

function onHttp1(deps: IngressDeps, req: http.IncomingMessage, res: http.ServerResponse): void {
  const request: RouteRequest = { method: req.method ?? 'GET', path: req.url ?? '/', authority: req.headers.host ?? '', headers: req.headers };
  const decision = routeOf(deps, request);
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void answerRest(deps, decision, request, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).then(
      (reply) => writeHttp1(res, reply),
      () => writeHttp1(res, localReply(500)),
    );
  });
}

function writeHttp1(res: http.ServerResponse, reply: Reply): void {
  // Envoy sends neither `Connection` nor `Keep-Alive` and writes a lowercase `date` itself; removing the header
  // keeps Node's keep-alive behaviour without advertising it.
  res.sendDate = false;
  res.removeHeader('connection');
  const flat: string[] = [];
  for (const [name, value] of reply.headers) flat.push(name, value);
  res.writeHead(reply.status, flat);
  res.end(reply.body);
}

/** Answers a REST request through the route decision. */
async function answerRest(deps: IngressDeps, decision: RouteDecision | 'fault', request: RouteRequest, body: Buffer): Promise<Reply> {
  if (decision === 'fault') return localReply(503, RESET_BEFORE_HEADERS);
  return forwardRest(deps, decision, request, body);
}

function onHttp2Stream(deps: IngressDeps, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  stream.on('error', () => stream.destroy());
  const request: RouteRequest = {
    method: String(headers[':method'] ?? 'GET'),
    path: String(headers[':path'] ?? '/'),
    authority: String(headers[':authority'] ?? headers.host ?? ''),
    headers,
  };
  const decision = routeOf(deps, request);
  if (String(headers['content-type'] ?? '').startsWith('application/grpc')) {
    serveGrpc(deps, stream, decision, request);
    return;
  }
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => {
    void answerRest(deps, decision, request, Buffer.concat(chunks)).then((reply) => {
      if (stream.destroyed) return;
      stream.respond({ ':status': reply.status, ...toHeaderObject(reply.headers) });
      stream.end(reply.body);
    });
  });
}

/**
 * Envoy answers a gRPC caller's local replies trailers-only, the HTTP status mapped to a gRPC code (404 → 12,
 * 503 → 14, …) and the body as grpc-message. The route's timeout and retries are not applied to gRPC calls: the
 * mesh answers them in-process, where nothing is slow or resets.
 */
function serveGrpc(deps: IngressDeps, stream: http2.ServerHttp2Stream, decision: RouteDecision | 'fault', request: RouteRequest): void {
  const local = (code: number, message: string, extra: Array<[string, string]> = []): void =>
    respondTrailersOnly(stream, toHeaderObject([...extra, ...localReply(200).headers.slice(1)]), code, message);
  if (decision === 'fault') return local(Status.UNAVAILABLE, RESET_BEFORE_HEADERS);
  if (decision.kind === 'no-route') return local(Status.UNIMPLEMENTED, '');
  void applyFault(decision.fault, deps.random).then((abort) => {
    if (stream.destroyed) return;
    if (abort) return local(abort.grpc ?? grpcStatusOf(abort.status), FAULT_ABORT);
    if (decision.kind === 'direct') return local(grpcStatusOf(decision.status), decision.body);
    if (decision.kind === 'redirect') return local(grpcStatusOf(decision.status), '', [['location', decision.location]]);
    if (decision.upstream.kind === 'service') return local(Status.UNAVAILABLE, NO_HEALTHY_UPSTREAM);
    const started = performance.now();
    // A fresh object per call: the mesh's handlers find their context by it.
    const metadata = { ...applyToRequest(request.headers, decision.requestOps) };
    const context = { namespace: decision.upstream.namespace, responseHeaders: [] as Array<[string, string]> };
    grpcCallContext.set(metadata, context);
    const responseOps = decision.responseOps;
    // The stream stays paused (its data buffered) until serveCall listens.
    deps.grpc().then(
      (methods) =>
        serveCall(methods, stream, decision.path, metadata, () =>
          toHeaderObject(grpcExtraHeaders(performance.now() - started, context.responseHeaders, responseOps)),
        ),
      (error: unknown) => local(Status.INTERNAL, String((error as Error)?.message ?? error)),
    );
  });
}

