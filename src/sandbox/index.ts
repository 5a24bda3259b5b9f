/**
 * The embedded sandbox cluster: a Kubernetes API on 127.0.0.1 that kubectl drives, the Seldon controller, and
 * the Istio ingress with the models behind it (the data plane), tied together by one in-memory store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterView, ModelRegistry, Sandbox, SandboxOptions } from './types.js';
import { startApiServer } from './api/server.js';
import { writeKubeconfig } from './kubeconfig.js';
import { INGRESS_IP, seed } from './seed.js';
import { startSeldonController } from './seldon/controller.js';
import { Store } from './store/store.js';

export { INGRESS_IP } from './seed.js';
export type { Sandbox, SandboxOptions } from './types.js';

export interface DataPlane {
  registry: ModelRegistry;
  port: number;
  close(): Promise<void>;
}

export type StartDataPlane = (opts: { view: ClusterView; port: number; faultRouteDelayMs?: number }) => Promise<DataPlane>;

/** Knobs for tests, not for users. */
export interface SandboxInternals {
  /** Replaces the real ingress and models. */
  startDataPlane?: StartDataPlane;
  /** Changes a watch can resume across (default 1000). */
  historyLimit?: number;
  bookmarkIntervalMs?: number;
  faultSeed?: number;
  token?: string;
}

async function realDataPlane(): Promise<StartDataPlane> {
  // Imported lazily: the models and gRPC are heavy, and tests may bring their own data plane.
  return (await import('./dataplane/index.js')).startDataPlane;
}

/** Starts everything and resolves once the API and the ingress listen and the kubeconfig is written. */
export async function startSandbox(options: SandboxOptions = {}, internals: SandboxInternals = {}): Promise<Sandbox> {
  const store = new Store({ historyLimit: internals.historyLimit });
  seed(store);
  const token = internals.token ?? randomBytes(24).toString('base64url');
  const startDataPlane = internals.startDataPlane ?? (await realDataPlane());
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const api = await startApiServer({
      store,
      token,
      port: options.port,
      faultApiErrorRate: options.faultApiErrorRate,
      faultWatchDropMs: options.faultWatchDropMs,
      faultSeed: internals.faultSeed,
      bookmarkIntervalMs: internals.bookmarkIntervalMs,
    });
    cleanups.push(() => api.close());
    const dataPlane = await startDataPlane({ view: store, port: options.ingressPort ?? 0, faultRouteDelayMs: options.faultRouteDelayMs });
    cleanups.push(() => dataPlane.close());
    const controller = startSeldonController({ store, registry: dataPlane.registry, loadDelayMs: options.loadDelayMs ?? 300 });
    cleanups.push(() => controller.stop());

    let kubeconfigPath = options.kubeconfig;
    if (!kubeconfigPath) {
      const dir = await mkdtemp(join(tmpdir(), 'runbook-sandbox-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      kubeconfigPath = join(dir, 'kubeconfig');
    }
    const connectTo = `${INGRESS_IP}:80:127.0.0.1:${dataPlane.port}`;
    await writeKubeconfig(kubeconfigPath, { server: api.url, ca: api.ca, token, connectTo: [connectTo] });
    return {
      kubeconfigPath,
      apiUrl: api.url,
      token,
      ingressIp: INGRESS_IP,
      ingressPort: dataPlane.port,
      connectTo,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
