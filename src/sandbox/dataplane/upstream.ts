/**
 * Services behind the ingress other than Seldon's mesh. The sandbox runs no workloads of its own, so a
 * VirtualService destination naming another host has no endpoints (Envoy's 503 `no healthy upstream`) unless
 * one is registered here: tests bring slow and failing upstreams to check timeouts, retries and mirrors.
 */
import type { UpstreamReply } from './mesh-rest.js';

/** One request as an upstream receives it (after the route's rewrites and header operations). */
export interface ServiceCall {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  /** Aborted when Envoy gives up on the attempt (its timeout or per-try timeout). */
  signal: AbortSignal;
}

/** An upstream Service: answers, or throws UpstreamFailure for a failure below HTTP. */
export type ServiceUpstream = (call: ServiceCall) => Promise<UpstreamReply>;

/** A failure below HTTP, as Envoy's retry conditions name them: the connection was refused, or reset mid-request. */
export class UpstreamFailure extends Error {
  constructor(readonly reason: 'connect-failure' | 'reset') {
    super(reason);
  }
}
