/**
 * The sandbox's data plane: the Istio ingress gateway on one port of 127.0.0.1, routing by the cluster's
 * Gateways and VirtualServices to the Seldon mesh, where the registry's models answer REST and gRPC; and the
 * `seldon-mesh` Service's own port, which reaches the mesh directly (routing only by the `seldon-model` header).
 */
import type { AddressInfo } from 'node:net';
import type { ChangeType, ClusterView, DataPlane, KubeObject } from '../types.js';
import { InMemoryExperimentRegistry } from './experiments/experiment-registry.js';
import { createIngress, type Ingress } from './ingress.js';
import type { GrpcMethods } from './grpc-wire.js';
import { iris } from './models/iris.js';
import { createBatcher } from './pipelines/batcher.js';
import { Mesh } from './mesh.js';
import { InMemoryPipelineRegistry } from './pipelines/pipeline-registry.js';
import { PipelineService } from './pipelines/pipeline-service.js';
import { MemoryTopicLog } from './pipelines/topic-log.js';
import { InMemoryModelRegistry } from './registry.js';
import { meshRouter, RouteTable } from './routing.js';
import type { ServiceUpstream } from './upstream.js';

export { InMemoryModelRegistry } from './registry.js';
export { UpstreamFailure, type ServiceCall, type ServiceUpstream } from './upstream.js';

export interface DataPlaneOptions {
  view: ClusterView;
  /** Ingress port; 0 = any free port. */
  port: number;
  /** seldon-mesh port; 0 or absent = any free port. */
  meshPort?: number;
  /** The namespace the mesh listener serves when the Host names no seldon-mesh Service (default `seldon-mesh`). */
  meshNamespace?: string;
  /** After a Gateway, VirtualService or Model change, answer 503 for this many ms (Envoy while config propagates). */
  faultRouteDelayMs?: number;
  /** Picks among weighted route destinations; Math.random unless a test injects one. */
  random?: () => number;
  /** The clock of the fault window, in ms; Date.now unless a test injects one. */
  now?: () => number;
  /** Services other than seldon-mesh that VirtualServices may route to, by host (tests bring slow or failing ones). */
  upstreams?: Readonly<Record<string, ServiceUpstream>>;
}

export type { DataPlane } from '../types.js';

const ISTIO = 'networking.istio.io';
const SELDON = 'mlops.seldon.io';

/** Starts the ingress; resolves once it listens. */
export async function startDataPlane(opts: DataPlaneOptions): Promise<DataPlane> {
  const registry = new InMemoryModelRegistry();
  const pipelines = new InMemoryPipelineRegistry();
  const experiments = new InMemoryExperimentRegistry();
  const topics = new MemoryTopicLog();
  const random = opts.random ?? Math.random;
  const batcher = createBatcher(topics);
  const service = new PipelineService(pipelines, { model: (namespace, name) => registry.get(namespace, name), topics, batch: batcher.run });
  const mesh = new Mesh(registry, service, experiments, random);
  const faultMs = opts.faultRouteDelayMs ?? 0;
  const compile = (): RouteTable => RouteTable.compile(opts.view.list(ISTIO, 'Gateway'), opts.view.list(ISTIO, 'VirtualService'));
  let table = compile();
  let rebuildQueued = false;
  let faultUntil = 0;
  const now = opts.now ?? Date.now;

  const unsubscribe = opts.view.subscribe((_type: ChangeType, object: KubeObject) => {
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
    const routing = group === ISTIO && (object.kind === 'Gateway' || object.kind === 'VirtualService');
    if (!routing && !(group === SELDON && object.kind === 'Model')) return;
    if (faultMs > 0) faultUntil = now() + faultMs;
    // One rebuild per burst of changes (an apply of several objects), before the next request is read.
    if (routing && !rebuildQueued) {
      rebuildQueued = true;
      queueMicrotask(() => {
        rebuildQueued = false;
        table = compile();
      });
    }
  });

  let grpc: Promise<GrpcMethods> | undefined;
  const loadGrpc = (): Promise<GrpcMethods> => (grpc ??= import('./mesh-grpc.js').then((m) => m.meshGrpcMethods(mesh)));
  const upstream = (host: string): ServiceUpstream | undefined => opts.upstreams?.[host.toLowerCase()];
  const ingress = createIngress({
    upstream,
    routes: () => table,
    mesh,
    grpc: loadGrpc,
    random,
    faultActive: () => faultUntil > 0 && now() < faultUntil,
  });
  // Seldon's own Envoy: every request reaches the mesh; no Istio route, no propagation delay.
  const meshRoutes = meshRouter(opts.meshNamespace ?? 'seldon-mesh');
  const meshListener = createIngress({ routes: () => meshRoutes, mesh, grpc: loadGrpc, random, faultActive: () => false, upstream });
  try {
    await listen(ingress, opts.port);
    await listen(meshListener, opts.meshPort ?? 0);
  } catch (error) {
    await Promise.all([ingress.close(), meshListener.close()]);
    throw error;
  }
  // Warm up off the critical path: gRPC's modules and proto, and the shared iris tree.
  setImmediate(() => {
    loadGrpc().catch(() => {});
    void iris.prepare?.();
  });
  return {
    registry,
    pipelines,
    experiments,
    topics,
    port: (ingress.server.address() as AddressInfo).port,
    meshPort: (meshListener.server.address() as AddressInfo).port,
    close: async () => {
      unsubscribe();
      service.close();
      batcher.close();
      await Promise.all([ingress.close(), meshListener.close()]);
    },
  };
}

function listen(listener: Ingress, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(port, '127.0.0.1', () => {
      listener.server.off('error', reject);
      resolve();
    });
  });
}
