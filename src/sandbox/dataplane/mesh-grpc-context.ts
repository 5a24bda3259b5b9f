/** What one gRPC call of the mesh knows besides its message, kept apart so the ingress need not load gRPC. */
import type { IncomingHttpHeaders } from 'node:http2';

export interface GrpcCallContext {
  /** The namespace whose seldon-mesh was called. */
  namespace: string;
  /** Seldon's response headers (`x-seldon-route`), filled in by the handler before the answer is sent. */
  responseHeaders: Array<[string, string]>;
}

/** Keyed by the call's metadata object, which the ingress makes per stream. */
export const grpcCallContext = new WeakMap<IncomingHttpHeaders, GrpcCallContext>();
