/** How Envoy, as Istio's ingress gateway, frames answers: its own local replies and its headers on upstream ones. */
import type { UpstreamReply } from './mesh-rest.js';
import type { HeaderOps } from './header-ops.js';
import { applyToResponse } from './header-ops.js';

/** A complete answer to write on HTTP/1.1 or HTTP/2: status, ordered headers (lowercase names), body. */
export interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** Envoy's body while a route's cluster has no ready endpoints yet (config still propagating). */
export const RESET_BEFORE_HEADERS = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
/** Envoy's body when a route's cluster has no endpoints at all. */
export const NO_HEALTHY_UPSTREAM = 'no healthy upstream';

let dateSecond = -1;
let dateValue = '';

/** The `date` header value, formatted at most once a second. */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(now).toUTCString();
  }
  return dateValue;
}

/** A reply Envoy makes up itself (no route, no upstream): no x-envoy-upstream-service-time, as Envoy does. */
export function localReply(status: number, body = ''): Reply {
  const headers: Array<[string, string]> = [['content-length', String(Buffer.byteLength(body))]];
  if (body) headers.push(['content-type', 'text/plain']);
  headers.push(['date', httpDate()], ['server', 'istio-envoy']);
  return { status, headers, body };
}

/** An upstream's reply as the client sees it through Envoy, with the route's response header operations. */
export function upstreamReply(reply: UpstreamReply, elapsedMs: number, responseOps: readonly HeaderOps[]): Reply {
  const headers: Array<[string, string]> = [['content-length', String(Buffer.byteLength(reply.body))]];
  if (reply.contentType) headers.push(['content-type', reply.contentType]);
  headers.push(['date', httpDate()], ['server', 'istio-envoy'], ['x-envoy-upstream-service-time', String(Math.round(elapsedMs))]);
  headers.push(...reply.headers);
  applyToResponse(headers, responseOps);
  return { status: reply.status, headers, body: reply.body };
}

/** The gRPC response headers Envoy and the mesh add (no content-length: the body streams). */
export function grpcExtraHeaders(elapsedMs: number, mesh: ReadonlyArray<[string, string]>, responseOps: readonly HeaderOps[]): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['date', httpDate()],
    ['server', 'istio-envoy'],
    ['x-envoy-upstream-service-time', String(Math.round(elapsedMs))],
  ];
  headers.push(...mesh);
  applyToResponse(headers, responseOps);
  return headers;
}

/** Envoy's gRPC code for an HTTP status it answers a gRPC caller with (its httpToGrpcStatus table). */
export function grpcStatusOf(status: number): number {
  const table: Record<number, number> = { 400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14 };
  return table[status] ?? 2;
}

/** Ordered header pairs as an HTTP/2 header object (repeated names become arrays). */
export function toHeaderObject(headers: ReadonlyArray<[string, string]>): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const [name, value] of headers) {
    const current = object[name];
    object[name] = current === undefined ? value : [...(Array.isArray(current) ? current : [current]), value];
  }
  return object;
}
