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

/** A namespaced Seldon object: models, pipelines and experiments of two namespaces never meet. */
export interface ObjectRef {
  namespace: string;
  name: string;
}

/** What the scheduler asks a Server to load: `<name>_<version>` from `storageUri`. */
export interface ModelLoadRequest extends ObjectRef {
  version: number;
  storageUri: string;
  /** The Server the scheduler placed the model on (`mlserver`, `triton`, or a user's Server). */
  server: string;
}

/** An OIP tensor's metadata, as `GET /v2/models/NAME` lists it (-1 for a variable dimension). */
export interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/**
 * What a storage URI holds, known without loading it: the facts the scheduler matches against Servers and the
 * metadata the model will report once served.
 */
export interface ModelArtefact {
  storageUri: string;
  /** The sample's `requirements` (capabilities a Server must have), e.g. `['sklearn']`, `['tensorflow']`, `['python']`. */
  requirements: string[];
  /** Where Seldon's samples run it. */
  server: 'mlserver' | 'triton';
  /** OIP metadata `platform`, e.g. `sklearn`, `tensorflow_savedmodel`, `python`. */
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/**
 * The inference servers behind the Seldon mesh, keyed by namespace and name. The control plane (scheduler)
 * loads and unloads; the mesh and pipelines serve what is loaded.
 */
export interface ModelRegistry {
  /**
   * Loads the model; resolves once it serves. A later version replaces the earlier one (Seldon serves the
   * latest). Rejects with `ModelLoadError` (its message names the URI) for an artefact the sandbox does not have.
   */
  load(request: ModelLoadRequest): Promise<void>;
  /** Stops serving; a no-op when not loaded. */
  unload(ref: ObjectRef): void;
  /** What `storageUri` holds, for scheduling, without loading; undefined when the sandbox cannot serve it. */
  artefact(storageUri: string): ModelArtefact | undefined;
}

/** How a step (or the pipeline's input/output) waits for its several inputs; Seldon's default is `inner`. */
export type JoinType = 'inner' | 'outer' | 'any';

/** One step of a Pipeline: the model (or pipeline) named `name`, fed as the CR's `spec.steps[]` says. */
export interface PipelineStepSpec {
  name: string;
  /** `model.outputs`, `model.outputs.TENSOR`, `model.inputs[.TENSOR]`, `pipeline.inputs.TENSOR`, `otherPipeline.outputs[.TENSOR]`; absent: the pipeline's inputs. */
  inputs?: string[];
  joinWindowMs?: number;
  /** Renames: `tfsimple1.outputs.OUTPUT0: INPUT0`. */
  tensorMap?: Record<string, string>;
  inputsJoinType?: JoinType;
  triggers?: string[];
  triggersJoinType?: JoinType;
  batch?: { size?: number; windowMs?: number; rolling?: boolean };
}

/** A Pipeline's `spec`, in the CR's field names; the control plane has validated it (names, cycles, tensors). */
export interface PipelineSpec {
  input?: {
    externalInputs?: string[];
    externalTriggers?: string[];
    joinWindowMs?: number;
    joinType?: JoinType;
    triggersJoinType?: JoinType;
    tensorMap?: Record<string, string>;
  };
  steps: PipelineStepSpec[];
  output?: { steps?: string[]; joinWindowMs?: number; stepsJoin?: JoinType; tensorMap?: Record<string, string> };
}

export interface PipelineLoadRequest extends ObjectRef {
  version: number;
  /** The scheduler's 20-character xid of this version. */
  uid: string;
  spec: PipelineSpec;
}

/** Runs pipelines' dataflow; models named by steps are looked up in the same namespace's ModelRegistry at inference time. */
export interface PipelineRegistry {
  /** Resolves once `/v2/pipelines/NAME/infer` and `seldon-model: NAME.pipeline` serve this version; a later version replaces the earlier. */
  load(request: PipelineLoadRequest): Promise<void>;
  unload(ref: ObjectRef): void;
}

/** An Experiment's `spec`, in the CR's field names; the control plane has validated weights and references. */
export interface ExperimentSpec {
  /** The model or pipeline whose name the experiment takes over (`seldon-model: default`); absent: only `NAME.experiment` routes. */
  default?: string;
  candidates: Array<{ name: string; weight: number }>;
  /** Gets a copy of `percent`% of the traffic; its answers are discarded. */
  mirror?: { name: string; percent: number };
  resourceType?: 'model' | 'pipeline';
}

export interface ExperimentStartRequest extends ObjectRef {
  spec: ExperimentSpec;
}

/** Splits traffic of running experiments; starting one with a running name replaces it. */
export interface ExperimentRegistry {
  start(request: ExperimentStartRequest): void;
  stop(ref: ObjectRef): void;
}

/** One message of a pipeline topic, as Seldon writes it to Kafka. */
export interface TopicMessage {
  /** `seldon.NS.model.M.inputs|outputs` or `seldon.NS.pipeline.P.inputs|outputs`. */
  topic: string;
  /** Position in its topic (0 first); kept after older messages are dropped. */
  offset: number;
  /** The Kafka key: the request id, an xid such as `ciep298fh5ss73dpdir0`. */
  key: string;
  /**
   * The message as protojson (camelCase names, int64 as strings, tensors in typed `contents`): a
   * ModelInferRequest on `inputs` topics, a ModelInferResponse on `outputs` topics, as `pipeline inspect` prints it.
   */
  json: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /**
   * The Kafka headers `pipeline inspect --verbose` prints (`pipeline`, `x-request-id`, `x-forwarded-proto`,
   * `x-seldon-route` as the route so far), each with its values.
   */
  headers: Record<string, string[]>;
}

/** The in-memory stand-in for Seldon's Kafka topics; each topic keeps only its latest messages. */
export interface TopicLog {
  /**
   * Messages of the namespace's topics whose name starts with `topicPrefix` (a whole topic name such as
   * `seldon.default.model.tfsimple1.inputs`, or a prefix of one), in each topic's order, topics sorted by name.
   * `offset` >= 0 starts at that position of each topic; < 0 takes that many from each topic's end (Kafka's
   * OffsetTail, as `pipeline inspect --offset N` reads). At most `limit` messages in all.
   */
  read(namespace: string, topicPrefix: string, offset: number, limit: number): TopicMessage[];
  /** Every topic that holds a message, sorted (what the sandbox's Kafka listener reports as existing). */
  names(): string[];
  /** One topic as Kafka's single partition 0 sees it; undefined when nothing was ever written to it. */
  partition(topic: string): TopicPartition | undefined;
}

/** A topic's one partition: offsets `start` (the oldest kept) to `end` (the next to be written: the high watermark). */
export interface TopicPartition {
  start: number;
  end: number;
  /** Up to `max` kept messages from `offset` on (from `start` when `offset` is older). */
  from(offset: number, max: number): TopicMessage[];
}

/** What the data plane gives the rest of the sandbox once its listeners are up. */
export interface DataPlane {
  registry: ModelRegistry;
  pipelines: PipelineRegistry;
  experiments: ExperimentRegistry;
  topics: TopicLog;
  /** The Istio ingress gateway's port on 127.0.0.1. */
  port: number;
  /** The `seldon-mesh` Service's own port on 127.0.0.1 (REST and gRPC, routing by the `seldon-model` header). */
  meshPort: number;
  close(): Promise<void>;
}

export interface DataPlaneStartOptions {
  view: ClusterView;
  /** Ingress port; 0 = any free port. */
  port: number;
  /** seldon-mesh port; 0 (or absent) = any free port. */
  meshPort?: number;
  faultRouteDelayMs?: number;
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
