/**
 * What Envoy does with a REST request once its route is chosen: the fault filter first (a delay, then maybe an
 * abort), then the router: a redirect or direct response, or the upstream call under the route's timeout and
 * retry policy, with a mirrored copy.
 *
 * Retries follow Envoy's conditions (`5xx`, `gateway-error`, `reset`, `connect-failure`, `retriable-4xx`,
 * `retriable-status-codes`); the gRPC conditions (`unavailable`, `cancelled`, …) read a grpc-status the REST
 * answers here never carry. Between tries Envoy waits a jittered back-off (25 ms base, doubling, capped at
 * 250 ms); the sandbox waits the same bounds with its own random numbers, so the exact waits differ.
 */
import { applyToRequest, applyToResponse, requestHeaderAfter } from './header-ops.js';
import { localReply, NO_HEALTHY_UPSTREAM, upstreamReply, type Reply } from './envoy-reply.js';
import type { Fault, RetryPolicy, Upstream } from './istio/http-route.js';
import type { Mesh } from './mesh.js';
import { handleRest, type UpstreamReply } from './mesh-rest.js';
import type { RouteDecision, RouteRequest } from './routing.js';
import { UpstreamFailure, type ServiceUpstream } from './upstream.js';

export interface ForwardDeps {
  mesh: Mesh;
  random(): number;
  /** A registered upstream Service by host, if any. */
  upstream(host: string): ServiceUpstream | undefined;
}

/** Envoy's bodies for failures it reports itself. */
export const UPSTREAM_TIMEOUT = 'upstream request timeout';
export const FAULT_ABORT = 'fault filter abort';
const RESET = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const CONNECT_FAILURE = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

type Attempt = { kind: 'reply'; reply: UpstreamReply; ms: number } | { kind: 'failure'; reason: UpstreamFailure['reason'] } | { kind: 'per-try-timeout' };

/**
 * Applies a fault's delay (really waiting) and decides its abort; the abort's local reply, or undefined to go on.
 * A gRPC abort answers a plain HTTP caller 200, as Envoy's fault filter does.
 */
export async function applyFault(fault: Fault | undefined, random: () => number): Promise<{ status: number; grpc?: number } | undefined> {
  if (!fault) return undefined;
  if (fault.delay && random() * 100 < fault.delay.percent) await sleep(fault.delay.ms);
  if (!fault.abort || !(random() * 100 < fault.abort.percent)) return undefined;
  const { status } = fault.abort;
  return status.kind === 'http' ? { status: status.code } : { status: 200, grpc: status.code };
}

/** Answers a REST request through its route decision. */
export async function forwardRest(deps: ForwardDeps, decision: RouteDecision, request: RouteRequest, body: Buffer): Promise<Reply> {
  if (decision.kind === 'no-route') return localReply(404);
  const abort = decision.fault ? await applyFault(decision.fault, deps.random) : undefined;
  if (abort) return localReply(abort.status, FAULT_ABORT);
  if (decision.kind === 'direct') return withOps(localReply(decision.status, decision.body), decision.responseOps);
  if (decision.kind === 'redirect') {
    const reply = localReply(decision.status);
    reply.headers.unshift(['location', decision.location]);
    return withOps(reply, decision.responseOps);
  }
  const { requestOps, authority } = decision;
  let headers: Headers | undefined;
  const call: Call = {
    method: request.method,
    path: decision.path,
    body,
    header: (name) => (name === 'host' && authority ? authority : requestHeaderAfter(request.headers, requestOps, name)),
    headers: () => (headers ??= withAuthority(applyToRequest(request.headers, requestOps), authority)),
  };
  if (decision.mirror) {
    const mirrored: Call = { ...call, header: (name) => (name === 'host' ? shadow(call.headers()).host : call.header(name)), headers: () => shadow(call.headers()) };
    void send(deps, decision.mirror, mirrored, new Abort()).catch(() => {});
  }
  if (decision.upstream.kind === 'service' && !deps.upstream(decision.upstream.host)) return localReply(503, NO_HEALTHY_UPSTREAM);
  const upstream = decision.upstream;
  const outcome = await withTimeout(decision.timeoutMs, undefined, (abort) => tryUntilDone(deps, upstream, call, decision.retries, abort));
  if (outcome === 'timeout') return localReply(504, UPSTREAM_TIMEOUT);
  switch (outcome.kind) {
    case 'reply':
      return upstreamReply(outcome.reply, outcome.ms, decision.responseOps);
    case 'failure':
      return localReply(503, outcome.reason === 'reset' ? RESET : CONNECT_FAILURE);
    case 'per-try-timeout':
      return localReply(504, UPSTREAM_TIMEOUT);
  }
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A request as the upstream receives it. A registered Service gets every header; the mesh reads three, so the
 * header object (applyToRequest's copy) is made only when a Service asks for it.
 */
interface Call {
  method: string;
  path: string;
  body: Buffer;
  header(name: string): string | string[] | undefined;
  headers(): Headers;
}

async function tryUntilDone(deps: ForwardDeps, upstream: Upstream, call: Call, policy: RetryPolicy, abort: Abort): Promise<Attempt> {
  for (let retry = 0; ; retry++) {
    const attempt = await withTimeout(policy.perTryTimeoutMs, abort, async (tryAbort): Promise<Attempt> => {
      const started = performance.now();
      try {
        const reply = await send(deps, upstream, call, tryAbort);
        return { kind: 'reply', reply, ms: performance.now() - started };
      } catch (error) {
        if (error instanceof UpstreamFailure) return { kind: 'failure', reason: error.reason };
        throw error;
      }
    });
    const result: Attempt = attempt === 'timeout' ? { kind: 'per-try-timeout' } : attempt;
    if (retry >= policy.attempts || abort.aborted || !retriable(result, policy)) return result;
    await sleep(deps.random() * Math.min(250, 25 * 2 ** retry));
  }
}

/** Envoy's retry conditions for one attempt's outcome. */
function retriable(attempt: Attempt, policy: RetryPolicy): boolean {
  const on = policy.on;
  if (attempt.kind === 'per-try-timeout') return on.has('5xx') || on.has('gateway-error');
  if (attempt.kind === 'failure') return on.has('5xx') || on.has('gateway-error') || on.has(attempt.reason);
  const status = attempt.reply.status;
  return (
    (on.has('5xx') && status >= 500) ||
    (on.has('gateway-error') && (status === 502 || status === 503 || status === 504)) ||
    (on.has('retriable-4xx') && status === 409) ||
    (on.has('retriable-status-codes') && policy.codes.has(status))
  );
}

function send(deps: ForwardDeps, upstream: Upstream, call: Call, abort: Abort): Promise<UpstreamReply> {
  if (upstream.kind === 'service') {
    const service = deps.upstream(upstream.host);
    if (!service) return Promise.reject(new UpstreamFailure('connect-failure'));
    return service({ method: call.method, path: call.path, headers: call.headers(), body: call.body, signal: abort.signal() });
  }
  return handleRest(deps.mesh, {
    namespace: upstream.namespace,
    seldonModel: single(call.header('seldon-model')),
    routes: routeValues(call.header('x-seldon-route')),
    method: call.method,
    path: call.path,
    body: call.body,
    requestId: single(call.header('x-request-id')),
  });
}

/** Every value of `x-seldon-route`: Node joins repeated ones with `, `, as Envoy's matcher sees them joined. */
function routeValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(', '));
}

/**
 * Envoy's give-up for a request or one try of it. Only a registered Service reads an AbortSignal; the mesh answers
 * in-process and never does, so the signal is made when first asked for (an AbortController, and AbortSignal.any
 * joining it to the request's, took a sixth of the ingress's CPU per request when made for every try).
 */
class Abort {
  #aborted = false;
  #controller: AbortController | undefined;

  constructor(private readonly parent?: Abort) {}

  get aborted(): boolean {
    return this.#aborted || (this.parent?.aborted ?? false);
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }

  /** Aborted when this or the parent gives up. */
  signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.parent ? AbortSignal.any([this.parent.signal(), this.#controller.signal]) : this.#controller.signal;
  }
}

/**
 * Runs `work` under an Abort (a child of `parent`) that gives up after `ms`; 'timeout' if it has not settled by then.
 * Without a timeout, `work`'s own promise (no async wrapper: each costs the request a promise and a tick).
 */
function withTimeout<T>(ms: number | undefined, parent: Abort | undefined, work: (abort: Abort) => Promise<T>): Promise<T | 'timeout'> {
  const abort = new Abort(parent);
  return ms === undefined ? work(abort) : raceTimeout(ms, abort, work);
}

async function raceTimeout<T>(ms: number, abort: Abort, work: (abort: Abort) => Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve('timeout');
    }, ms);
  });
  try {
    return await Promise.race([work(abort), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Host after `rewrite.authority`; a copy only when it changes. */
function withAuthority(headers: Headers, authority: string | undefined): Headers {
  return authority ? { ...headers, host: authority } : headers;
}

/** Envoy marks a mirrored request's Host with `-shadow`. */
function shadow(headers: Headers): Headers {
  const host = single(headers.host);
  return host ? { ...headers, host: `${host}-shadow` } : headers;
}

function withOps(reply: Reply, ops: Parameters<typeof applyToResponse>[1]): Reply {
  applyToResponse(reply.headers, ops);
  return reply;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
