/**
 * One `http` rule of a VirtualService compiled into what Envoy's route holds: its match blocks, and one action
 * (forward to weighted destinations, redirect, or answer directly), with the fault, rewrite, timeout, retry and
 * mirror policies Istio translates into the same route.
 */
import { compileHeaderOps, type HeaderOps } from '../header-ops.js';
import { compileRegex } from '../string-match.js';
import { parseDuration } from './duration.js';
import { compileMatch, MATCH_ALL, type CompiledMatch } from './http-match.js';

/** Where a request goes: `mesh` is Seldon's Envoy (the seldon-mesh Service of `namespace`); `service` any other host. */
export type Upstream = { kind: 'mesh'; namespace: string } | { kind: 'service'; host: string };

export interface Destination {
  upstream: Upstream;
  weight: number;
  requestOps: HeaderOps[];
  responseOps: HeaderOps[];
}

/** Envoy's fault filter: a delay, then maybe an abort, each on a share (0–100) of the requests. */
export interface Fault {
  delay?: { ms: number; percent: number };
  abort?: { percent: number; status: { kind: 'http'; code: number } | { kind: 'grpc'; code: number } };
}

export interface Rewrite {
  uri?: string;
  uriRegex?: { pattern: RegExp; replacement: string };
  authority?: string;
}

/** When Envoy tries again: `attempts` retries after the first try, on the listed conditions. */
export interface RetryPolicy {
  attempts: number;
  perTryTimeoutMs?: number;
  on: ReadonlySet<string>;
  /** Statuses `retriable-status-codes` covers. */
  codes: ReadonlySet<number>;
}

export type RouteAction =
  | {
      kind: 'forward';
      destinations: Destination[];
      totalWeight: number;
      rewrite?: Rewrite;
      timeoutMs?: number;
      retries: RetryPolicy;
      mirror?: { upstream: Upstream; percent: number };
    }
  | { kind: 'redirect'; status: number; uri?: string; authority?: string; scheme?: string; port?: number }
  | { kind: 'direct'; status: number; body: string };

export interface CompiledRoute {
  matches: CompiledMatch[];
  action: RouteAction;
  fault?: Fault;
  /** The rule's own `headers` operations (destinations add theirs after these). */
  requestOps: HeaderOps[];
  responseOps: HeaderOps[];
}

/**
 * Istio's retry policy when a rule names none: two retries on connection failures, refused streams, gRPC
 * unavailable/cancelled and HTTP 503.
 */
const DEFAULT_RETRY_ON = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'];
export const DEFAULT_RETRIES: RetryPolicy = { attempts: 2, on: new Set(DEFAULT_RETRY_ON), codes: new Set([503]) };

/** Compiles one rule; `host` resolves a destination host (relative to the VirtualService's namespace). */
export function compileRoute(rule: unknown, host: (name: string) => Upstream): CompiledRoute {
  const spec = (rule ?? {}) as Record<string, unknown>;
  const ruleOps = compileHeaderOps(spec.headers);
  const requestOps = ruleOps.request ? [ruleOps.request] : [];
  const responseOps = ruleOps.response ? [ruleOps.response] : [];
  const matches = Array.isArray(spec.match) && spec.match.length > 0 ? spec.match.map(compileMatch) : [MATCH_ALL];
  return { matches, action: compileAction(spec, host), fault: compileFault(spec.fault), requestOps, responseOps };
}

function compileAction(spec: Record<string, unknown>, host: (name: string) => Upstream): RouteAction {
  const direct = spec.directResponse as { status?: unknown; body?: { string?: unknown; bytes?: unknown } } | undefined;
  if (direct) {
    const body = typeof direct.body?.string === 'string' ? direct.body.string : typeof direct.body?.bytes === 'string' ? Buffer.from(direct.body.bytes, 'base64').toString('utf8') : '';
    return { kind: 'direct', status: Number(direct.status), body };
  }
  const redirect = spec.redirect as { uri?: unknown; authority?: unknown; scheme?: unknown; port?: unknown; redirectCode?: unknown } | undefined;
  if (redirect) {
    return {
      kind: 'redirect',
      status: typeof redirect.redirectCode === 'number' ? redirect.redirectCode : 301,
      ...(typeof redirect.uri === 'string' ? { uri: redirect.uri } : {}),
      ...(typeof redirect.authority === 'string' ? { authority: redirect.authority } : {}),
      ...(typeof redirect.scheme === 'string' ? { scheme: redirect.scheme } : {}),
      ...(typeof redirect.port === 'number' ? { port: redirect.port } : {}),
    };
  }
  const destinations = (Array.isArray(spec.route) ? spec.route : []).map((route: unknown): Destination => {
    const entry = (route ?? {}) as { destination?: { host?: unknown }; weight?: unknown; headers?: unknown };
    const ops = compileHeaderOps(entry.headers);
    return {
      upstream: host(String(entry.destination?.host ?? '')),
      weight: typeof entry.weight === 'number' ? entry.weight : Number.NaN,
      requestOps: ops.request ? [ops.request] : [],
      responseOps: ops.response ? [ops.response] : [],
    };
  });
  // A lone destination takes all traffic; unweighted ones among several share equally, as Istio defaults them.
  const weighted = destinations.some((d) => !Number.isNaN(d.weight));
  for (const destination of destinations) {
    if (destinations.length === 1) destination.weight = 1;
    else if (Number.isNaN(destination.weight)) destination.weight = weighted ? 0 : 1;
  }
  const mirror = spec.mirror as { host?: unknown } | undefined;
  const mirrorShare = spec.mirrorPercentage as { value?: unknown } | undefined;
  return {
    kind: 'forward',
    destinations,
    totalWeight: destinations.reduce((sum, d) => sum + Math.max(0, d.weight), 0),
    rewrite: compileRewrite(spec.rewrite),
    timeoutMs: positive(parseDuration(spec.timeout)),
    retries: compileRetries(spec.retries),
    ...(mirror ? { mirror: { upstream: host(String(mirror.host ?? '')), percent: typeof mirrorShare?.value === 'number' ? mirrorShare.value : 100 } } : {}),
  };
}

function compileRewrite(spec: unknown): Rewrite | undefined {
  if (!spec || typeof spec !== 'object') return undefined;
  const rewrite = spec as { uri?: unknown; authority?: unknown; uriRegexRewrite?: { match?: unknown; rewrite?: unknown } };
  const regex = rewrite.uriRegexRewrite;
  const pattern = typeof regex?.match === 'string' && compileRegex(regex.match) ? new RegExp(regex.match, 'g') : undefined;
  return {
    ...(typeof rewrite.uri === 'string' ? { uri: rewrite.uri } : {}),
    ...(typeof rewrite.authority === 'string' ? { authority: rewrite.authority } : {}),
    // Envoy's regex_rewrite substitutes every match (RE2 writes groups as \1; JavaScript as $1).
    ...(pattern ? { uriRegex: { pattern, replacement: String(regex?.rewrite ?? '').replace(/\\(\d)/g, '$$$1') } } : {}),
  };
}

function compileRetries(spec: unknown): RetryPolicy {
  if (!spec || typeof spec !== 'object') return DEFAULT_RETRIES;
  const retries = spec as { attempts?: unknown; perTryTimeout?: unknown; retryOn?: unknown };
  const tokens = typeof retries.retryOn === 'string' ? retries.retryOn.split(',').map((t) => t.trim()).filter(Boolean) : DEFAULT_RETRY_ON;
  // Numbers in retryOn are retriable status codes (Istio adds the condition for them).
  const codes = new Set(tokens.filter((t) => /^\d+$/.test(t)).map(Number));
  const on = new Set(tokens.filter((t) => !/^\d+$/.test(t)));
  if (codes.size > 0) on.add('retriable-status-codes');
  return {
    attempts: typeof retries.attempts === 'number' ? retries.attempts : DEFAULT_RETRIES.attempts,
    perTryTimeoutMs: positive(parseDuration(retries.perTryTimeout)),
    on,
    codes: typeof retries.retryOn === 'string' ? codes : DEFAULT_RETRIES.codes,
  };
}

function compileFault(spec: unknown): Fault | undefined {
  if (!spec || typeof spec !== 'object') return undefined;
  const fault = spec as { delay?: Record<string, unknown>; abort?: Record<string, unknown> };
  const result: Fault = {};
  if (fault.delay) result.delay = { ms: parseDuration(fault.delay.fixedDelay) ?? 0, percent: share(fault.delay) };
  if (fault.abort) {
    const { httpStatus, grpcStatus } = fault.abort;
    const status = typeof httpStatus === 'number' ? { kind: 'http' as const, code: httpStatus } : { kind: 'grpc' as const, code: grpcCode(grpcStatus) };
    result.abort = { percent: share(fault.abort), status };
  }
  return result;
}

/** A fault's share: `percentage.value`, else the deprecated integer `percent`; unset means none (Istio's rule). */
function share(spec: Record<string, unknown>): number {
  const percentage = spec.percentage as { value?: unknown } | undefined;
  if (typeof percentage?.value === 'number') return percentage.value;
  return typeof spec.percent === 'number' ? spec.percent : 0;
}

/** gRPC status names as Istio's `grpcStatus` takes them (`UNAVAILABLE`), or a number. */
export const GRPC_CODES: Readonly<Record<string, number>> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

export function grpcCode(value: unknown): number {
  if (typeof value === 'number') return value;
  return GRPC_CODES[String(value).toUpperCase()] ?? 2;
}

function positive(ms: number | undefined): number | undefined {
  return ms !== undefined && ms > 0 ? ms : undefined;
}
