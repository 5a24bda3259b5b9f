/**
 * Seams inside the sandbox: the API server (store + controllers) and the data plane (ingress, models) meet here.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** The cluster state as the data plane sees it: read-only, with change notifications. */
export interface ClusterView {
  /** Every stored object of `group`/`kind` (group '' for core), across namespaces, at their current version. */
  list(group: string, kind: string): KubeObject[];
  /** Called synchronously after each committed change. Returns an unsubscribe function. */
  subscribe(listener: (type: ChangeType, object: KubeObject) => void): () => void;
}

/** Why a model failed to load, for the Model's condition and Event. */
export class ModelLoadError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The inference servers behind the Seldon mesh: the Seldon controller loads and unloads, the ingress serves. */
export interface ModelRegistry {
  /** Loads `<name>_<version>` from `storageUri`; rejects with `ModelLoadError` for an unknown URI. */
  load(name: string, version: number, storageUri: string): Promise<void>;
  unload(name: string): void;
}

/** What `startSandbox` resolves to once the API and ingress listen. */
export interface Sandbox {
  kubeconfigPath: string;
  apiUrl: string;
  token: string;
  /** The address the ingress Service reports (`status.loadBalancer.ingress[0].ip`). */
  ingressIp: string;
  /** Real port of the ingress on 127.0.0.1 (runbooks address it as `${ingressIp}:80`). */
  ingressPort: number;
  /** `IP:80:127.0.0.1:PORT`, usable as `curl --connect-to`. */
  connectTo: string;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  /** Where to write the kubeconfig; a temp file when absent. */
  kubeconfig?: string;
  /** API port; 0 = any free port. */
  port?: number;
  /** Ingress port; 0 = any free port. */
  ingressPort?: number;
  /** Delay before a Model becomes Ready, in ms. */
  loadDelayMs?: number;
  /** End every watch after this many ms. */
  faultWatchDropMs?: number;
  /** Share (0..1) of non-watch API requests answered with 500 or 429. */
  faultApiErrorRate?: number;
  /** After a VirtualService or Model change the ingress answers 503 for this many ms. */
  faultRouteDelayMs?: number;
}
