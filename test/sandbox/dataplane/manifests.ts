/** The seed notebook's Gateway and VirtualServices, and variations for routing tests. */
import type { KubeObject } from '../../../src/sandbox/types.js';

export const MESH = 'seldon-mesh.seldon-mesh.svc.cluster.local';

export function gateway(name = 'seldon-gateway', namespace = 'seldon-mesh', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: {
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      servers: [{ hosts: ['*'], port: { name: 'http', number: 80, protocol: 'HTTP' } }],
      ...extra,
    },
  };
}

export function virtualService(name: string, http: unknown[], gateways = ['seldon-gateway'], hosts = ['*']): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'seldon-mesh' },
    spec: { gateways, hosts, http },
  };
}

/** One weighted destination on the mesh that sets `seldon-model`. */
export function toModel(model: string, weight?: number, headers: Record<string, unknown> = {}): Record<string, unknown> {
  const route: Record<string, unknown> = {
    destination: { host: MESH },
    headers: { ...headers, request: { set: { 'seldon-model': model }, ...(headers.request as object) } },
  };
  if (weight !== undefined) route.weight = weight;
  return route;
}

/** The single-model VirtualService of the seed (REST and gRPC rules). */
export function singleModelRoute(model = 'iris', gateways = ['seldon-gateway']): KubeObject {
  return virtualService(
    'iris-route',
    [
      { name: 'iris-http', match: [{ uri: { prefix: '/v2' } }], route: [toModel(model)] },
      { name: 'iris-grpc', match: [{ uri: { prefix: '/inference.GRPCInferenceService' } }], route: [toModel(model)] },
      { name: 'reflection', match: [{ uri: { prefix: '/grpc.reflection.' } }], route: [toModel(model)] },
    ],
    gateways,
  );
}

export const IRIS_REQUEST = '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}';
