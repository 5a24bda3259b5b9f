/**
 * Istio's validating webhook (`validation.istio.io`) for VirtualServices, run by the API server on every create
 * and update, dry runs included. It rejects what Istio itself rejects (a rule with both route and redirect, a
 * bad duration or retryOn policy) and, in the same form, what the sandbox's ingress cannot do exactly (TCP and
 * TLS routes, delegation, CORS, subsets, …): such a VirtualService fails at `kubectl apply` rather than being
 * silently ignored.
 *
 * The API server wraps the webhook's message (status 400, no reason), so kubectl prints
 * `Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request:
 * configuration is invalid: …`; several problems are listed as Go's multierror lists them.
 */
import { ApiError } from '../../../core/api-status.js';
import type { KubeObject } from '../../types.js';
import { compileRegex } from '../string-match.js';
import { durationError } from './duration.js';
import { GRPC_CODES } from './http-route.js';

/** Envoy's retry conditions as Istio accepts them in `retryOn` (besides status codes). */
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream', 'retriable-status-codes',
  'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure', 'reset-before-request',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const SANDBOX = 'is not supported by the runbook sandbox';

/** Throws the webhook's denial when `object` is not a VirtualService the sandbox serves exactly. */
export function admitVirtualService(object: KubeObject): void {
  const errors = virtualServiceErrors(object);
  if (errors.length === 0) return;
  const detail = errors.length === 1 ? errors[0] : `${errors.length} errors occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
  throw new ApiError({ status: 'Failure', message: `admission webhook "validation.istio.io" denied the request: configuration is invalid: ${detail}`, code: 400 });
}

/** What is wrong with a VirtualService, in Istio's words where Istio has them. */
export function virtualServiceErrors(object: KubeObject): string[] {
  const spec = object.spec ?? {};
  const errors: string[] = [];
  for (const field of ['tcp', 'tls'] as const) if (Array.isArray(spec[field]) && spec[field].length > 0) errors.push(`${field} routes are not supported by the runbook sandbox`);
  if (!Array.isArray(spec.hosts) || spec.hosts.length === 0) errors.push('virtual service must have at least one host');
  const http = Array.isArray(spec.http) ? spec.http : [];
  http.forEach((rule, index) => errors.push(...ruleErrors((rule ?? {}) as Record<string, unknown>, `http[${index}]`)));
  return errors;
}

function ruleErrors(rule: Record<string, unknown>, where: string): string[] {
  const errors: string[] = [];
  const unsupported = (field: string): void => void errors.push(`${field} ${SANDBOX} (${where})`);
  for (const field of ['delegate', 'corsPolicy', 'mirrors', 'mirrorPercent']) if (rule[field] !== undefined) unsupported(field);
  const route = Array.isArray(rule.route) && rule.route.length > 0;
  const redirect = rule.redirect as Record<string, unknown> | undefined;
  const direct = rule.directResponse as { status?: unknown } | undefined;
  if (route && redirect) errors.push('HTTP route cannot contain both route and redirect');
  if (direct && (route || redirect)) errors.push('HTTP route cannot contain both direct response and route or redirect');
  if (!route && !redirect && !direct && rule.delegate === undefined) errors.push('HTTP route, redirect or direct response is required');
  for (const match of Array.isArray(rule.match) ? (rule.match as Array<Record<string, unknown>>) : []) {
    for (const field of ['sourceLabels', 'sourceNamespace', 'gateways']) if (match?.[field] !== undefined) unsupported(`match.${field}`);
    for (const value of [match?.uri, match?.method, match?.authority, match?.scheme, ...Object.values({ ...(match?.headers ?? {}), ...(match?.withoutHeaders ?? {}), ...(match?.queryParams ?? {}) })]) {
      const regex = (value as { regex?: unknown } | undefined)?.regex;
      if (typeof regex === 'string' && !compileRegex(regex)) errors.push(`"${regex}" is not a valid regex`);
    }
  }
  for (const destination of Array.isArray(rule.route) ? (rule.route as Array<{ destination?: { subset?: unknown } }>) : []) {
    if (destination?.destination?.subset !== undefined) unsupported('destination subset (DestinationRules are not emulated)');
  }
  if (redirect) {
    if (redirect.derivePort !== undefined) unsupported('redirect.derivePort');
    if (redirect.redirectCode !== undefined && !REDIRECT_CODES.has(Number(redirect.redirectCode))) errors.push(`redirect code ${String(redirect.redirectCode)} is not a valid redirect code`);
  }
  if (direct && !(Number(direct.status) >= 200 && Number(direct.status) <= 599)) errors.push('directResponse status must be between 200 and 599');
  if (rule.timeout !== undefined) pushIf(errors, durationError('timeout', rule.timeout));
  errors.push(...retryErrors(rule.retries), ...faultErrors(rule.fault, unsupported));
  const mirrorShare = (rule.mirrorPercentage as { value?: unknown } | undefined)?.value;
  if (mirrorShare !== undefined) pushIf(errors, percentError(mirrorShare));
  const rewrite = rule.rewrite as { uri?: unknown; uriRegexRewrite?: { match?: unknown } } | undefined;
  if (rewrite?.uri !== undefined && rewrite.uriRegexRewrite !== undefined) errors.push('rewrite may only contain one of uri and uriRegexRewrite');
  const rewriteRegex = rewrite?.uriRegexRewrite?.match;
  if (typeof rewriteRegex === 'string' && !compileRegex(rewriteRegex)) errors.push(`"${rewriteRegex}" is not a valid regex`);
  return errors;
}

function retryErrors(spec: unknown): string[] {
  if (!spec || typeof spec !== 'object') return [];
  const retries = spec as Record<string, unknown>;
  const errors: string[] = [];
  for (const field of ['retryRemoteLocalities', 'backoff']) if (retries[field] !== undefined) errors.push(`retries.${field} ${SANDBOX}`);
  if (typeof retries.attempts === 'number' && retries.attempts < 0) errors.push('attempts cannot be negative');
  if (retries.perTryTimeout !== undefined) pushIf(errors, durationError('perTryTimeout', retries.perTryTimeout));
  if (typeof retries.retryOn === 'string') {
    for (const token of retries.retryOn.split(',').map((t) => t.trim())) {
      if (!RETRY_ON.has(token) && !/^[1-5]\d\d$/.test(token)) errors.push(`${JSON.stringify(token)} is not a valid retryOn policy`);
    }
  }
  return errors;
}

function faultErrors(spec: unknown, unsupported: (field: string) => void): string[] {
  if (!spec || typeof spec !== 'object') return [];
  const fault = spec as { delay?: Record<string, unknown>; abort?: Record<string, unknown> };
  const errors: string[] = [];
  if (!fault.delay && !fault.abort) errors.push('fault must have at least delay or abort');
  if (fault.delay) {
    if (fault.delay.exponentialDelay !== undefined) unsupported('fault.delay.exponentialDelay');
    else pushIf(errors, durationError('fixedDelay', fault.delay.fixedDelay));
    pushIf(errors, shareError(fault.delay));
  }
  if (fault.abort) {
    const { httpStatus, grpcStatus, http2Error } = fault.abort;
    if (http2Error !== undefined) unsupported('fault.abort.http2Error');
    else if (httpStatus !== undefined) {
      if (typeof httpStatus !== 'number' || httpStatus < 200 || httpStatus > 599) errors.push('httpStatus must be in range 200..599');
    } else if (grpcStatus !== undefined) {
      if (typeof grpcStatus !== 'number' && !(String(grpcStatus).toUpperCase() in GRPC_CODES)) errors.push(`grpcStatus ${String(grpcStatus)} is not a valid gRPC status`);
    } else errors.push('abort must have one of httpStatus, grpcStatus or http2Error');
    pushIf(errors, shareError(fault.abort));
  }
  return errors;
}

function shareError(spec: Record<string, unknown>): string | undefined {
  const value = (spec.percentage as { value?: unknown } | undefined)?.value ?? spec.percent;
  return value === undefined ? undefined : percentError(value);
}

function percentError(value: unknown): string | undefined {
  return typeof value === 'number' && value >= 0 && value <= 100 ? undefined : `percentage ${String(value)} is not in range [0, 100]`;
}

function pushIf(errors: string[], error: string | undefined): void {
  if (error) errors.push(error);
}
