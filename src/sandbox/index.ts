/**
 * The embedded sandbox cluster: a Kubernetes API on 127.0.0.1 that kubectl drives, the Seldon operator and
 * scheduler (with the scheduler's gRPC API on a port of its own), and the data plane (the Istio ingress and the
 * seldon-mesh listener with the models behind them), tied together by one in-memory store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterView, DataPlane, Sandbox as BaseSandbox, SandboxOptions } from './types.js';
import { startApiServer } from './api/server.js';
import { admitVirtualService } from './dataplane/istio/admission.js';
import { startEndpointControllers } from './controllers/endpoint-slices.js';
import { startGarbageCollector } from './controllers/garbage-collector.js';
import { startNamespaceController } from './controllers/namespace-controller.js';
import { startResourceQuotaController } from './controllers/resource-quota.js';
import { startRootCaPublisher } from './controllers/root-ca-publisher.js';
import { writeKubeconfig } from './kubeconfig.js';
import { INGRESS_IP, KAFKA_IP, KAFKA_PORT, MESH_IP, SCHEDULER_IP, SCHEDULER_PORT, SELDON_NAMESPACE, seed } from './seed.js';
import { startKafkaListener } from './kafka/listener.js';
import { startSeldonOperator } from './seldon/operator.js';
import { startSchedulerServer } from './scheduler/grpc-server.js';
import { Scheduler } from './scheduler/scheduler.js';
import { PodLogs } from './store/pod-logs.js';
import { Store } from './store/store.js';

export { INGRESS_IP, KAFKA_IP, MESH_IP, SCHEDULER_IP } from './seed.js';
export type { SandboxOptions } from './types.js';

/** What `startSandbox` resolves to: the API and ingress of the base contract, plus Seldon's two endpoints. */
export interface Sandbox extends BaseSandbox {
  /** `seldon-mesh`'s address as runbooks write it (port 80), and its real port on 127.0.0.1. */
  meshIp: string;
  meshPort: number;
  /** `seldon-scheduler`'s address as runbooks write it (port 9004), and its real port on 127.0.0.1. */
  schedulerIp: string;
  schedulerPort: number;
  /** Seldon's Kafka broker (the pipeline topics) as runbooks write it (port 9092), and its real port on 127.0.0.1. */
  kafkaIp: string;
  kafkaPort: number;
  /** Every `IP:PORT:127.0.0.1:PORT` mapping the kubeconfig records: the ingress, seldon-mesh, the scheduler and Kafka. */
  mappings: string[];
}

export type StartDataPlane = (opts: { view: ClusterView; port: number; meshPort?: number; faultRouteDelayMs?: number }) => Promise<DataPlane>;

/** Knobs for tests, not for users. */
export interface SandboxInternals {
  /** Replaces the real ingress and models. */
  startDataPlane?: StartDataPlane;
  /** Changes a watch can resume across (default 1000). */
  historyLimit?: number;
  bookmarkIntervalMs?: number;
  faultSeed?: number;
  token?: string;
  /** The scheduler API's port; 0 = any free port. */
  schedulerPort?: number;
  /** How long the namespace controller takes to notice a Terminating namespace (default 300 ms). */
  namespaceNoticeDelayMs?: number;
}

async function realDataPlane(): Promise<StartDataPlane> {
  // Imported lazily: the models and gRPC are heavy, and tests may bring their own data plane.
  return (await import('./dataplane/index.js')).startDataPlane;
}

/** Starts everything and resolves once the API, the ingress, the mesh and the scheduler listen and the kubeconfig is written. */
export async function startSandbox(options: SandboxOptions = {}, internals: SandboxInternals = {}): Promise<Sandbox> {
  const store = new Store({ historyLimit: internals.historyLimit });
  seed(store);
  // istiod's validating webhook: VirtualServices the ingress cannot serve exactly fail at apply.
  store.admission.set('networking.istio.io/VirtualService', admitVirtualService);
  const logs = new PodLogs();
  const token = internals.token ?? randomBytes(24).toString('base64url');
  // The data plane's modules load while the API server starts.
  const dataPlaneModule = internals.startDataPlane ? Promise.resolve(internals.startDataPlane) : realDataPlane();
  dataPlaneModule.catch(() => {});
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const api = await startApiServer({
      store,
      token,
      port: options.port,
      logs,
      faultApiErrorRate: options.faultApiErrorRate,
      faultWatchDropMs: options.faultWatchDropMs,
      faultSeed: internals.faultSeed,
      bookmarkIntervalMs: internals.bookmarkIntervalMs,
    });
    cleanups.push(() => api.close());
    // kube-controller-manager's part: namespaces are emptied before they go, and each holds the API's CA.
    const namespaces = startNamespaceController({ store, noticeDelayMs: internals.namespaceNoticeDelayMs });
    cleanups.push(() => namespaces.stop());
    const rootCa = startRootCaPublisher({ store, ca: api.ca });
    cleanups.push(() => rootCa.stop());
    const endpoints = startEndpointControllers({ store });
    cleanups.push(() => endpoints.stop());
    const collector = startGarbageCollector({ store });
    cleanups.push(() => collector.stop());
    const quotas = startResourceQuotaController({ store });
    cleanups.push(() => quotas.stop());
    const startDataPlane = await dataPlaneModule;
    const dataPlane = await startDataPlane({ view: store, port: options.ingressPort ?? 0, faultRouteDelayMs: options.faultRouteDelayMs });
    cleanups.push(() => dataPlane.close());

    // The operator is created after the scheduler but the scheduler logs through it: late-bound.
    const late: { serverLog?: (server: { namespace: string; name: string }, replica: number, line: string) => void } = {};
    const scheduler = new Scheduler({
      registry: dataPlane.registry,
      pipelines: dataPlane.pipelines,
      experiments: dataPlane.experiments,
      loadDelayMs: options.loadDelayMs ?? 300,
      log: (server, replica, line) => late.serverLog?.(server, replica, line),
    });
    cleanups.push(() => scheduler.close());
    const operator = startSeldonOperator({ store, scheduler, logs });
    late.serverLog = operator.serverLog;
    cleanups.push(() => operator.stop());
    const schedulerServer = await startSchedulerServer({ scheduler, namespace: SELDON_NAMESPACE, port: internals.schedulerPort });
    cleanups.push(() => schedulerServer.close());
    // The pipeline topics over Kafka's protocol; Metadata advertises the cluster address, which the kubeconfig maps.
    const kafka = await startKafkaListener({ topics: dataPlane.topics, advertised: { host: KAFKA_IP, port: KAFKA_PORT } });
    cleanups.push(() => kafka.close());

    let kubeconfigPath = options.kubeconfig;
    if (!kubeconfigPath) {
      const dir = await mkdtemp(join(tmpdir(), 'runbook-sandbox-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      kubeconfigPath = join(dir, 'kubeconfig');
    }
    const connectTo = `${INGRESS_IP}:80:127.0.0.1:${dataPlane.port}`;
    const schedulerHost = `${SCHEDULER_IP}:${SCHEDULER_PORT}`;
    const kafkaBroker = `${KAFKA_IP}:${KAFKA_PORT}`;
    const mappings = [
      connectTo,
      `${MESH_IP}:80:127.0.0.1:${dataPlane.meshPort}`,
      `${schedulerHost}:127.0.0.1:${schedulerServer.port}`,
      `${kafkaBroker}:127.0.0.1:${kafka.port}`,
      // The seldon CLI's own defaults, where a local (Docker Compose) install answers: notebooks written for one
      // name them (`%env INFER_ENDPOINT=0.0.0.0:9000`, `--scheduler-host 0.0.0.0:9004`), and here they are the sandbox.
      `0.0.0.0:9000:127.0.0.1:${dataPlane.meshPort}`,
      `0.0.0.0:9004:127.0.0.1:${schedulerServer.port}`,
      `0.0.0.0:9092:127.0.0.1:${kafka.port}`,
    ];
    await writeKubeconfig(kubeconfigPath, {
      server: api.url,
      ca: api.ca,
      token,
      connectTo: mappings,
      // The scheduler names every topic after its own namespace (Seldon's TopicNamer), whatever a resource says.
      seldon: { schedulerHost, inferenceHost: `${MESH_IP}:80`, kafkaBroker, kafkaNamespace: SELDON_NAMESPACE },
    });
    schedulerServer.warm();
    return {
      kubeconfigPath,
      apiUrl: api.url,
      token,
      ingressIp: INGRESS_IP,
      ingressPort: dataPlane.port,
      connectTo,
      meshIp: MESH_IP,
      meshPort: dataPlane.meshPort,
      schedulerIp: SCHEDULER_IP,
      schedulerPort: schedulerServer.port,
      kafkaIp: KAFKA_IP,
      kafkaPort: kafka.port,
      mappings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
