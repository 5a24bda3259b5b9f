/**
 * The scheduler's records, in the shapes of Seldon's scheduler API (seldon.mlops.scheduler) but as plain
 * TypeScript: what the gRPC server encodes and the operator emulation mirrors into custom resources.
 */

/** Set on objects that came from a custom resource; absent for objects loaded through the scheduler API. */
export interface KubernetesMeta {
  namespace: string;
  generation: number;
}

export type ModelState =
  | 'ModelStateUnknown'
  | 'ModelProgressing'
  | 'ModelAvailable'
  | 'ModelFailed'
  | 'ModelTerminating'
  | 'ModelTerminated'
  | 'ModelTerminateFailed'
  | 'ScheduleFailed';

export type ReplicaState = 'LoadRequested' | 'Loading' | 'Loaded' | 'LoadFailed' | 'UnloadRequested' | 'Unloading' | 'Unloaded' | 'Available';

/** A Model as the scheduler receives it (`LoadModelRequest.model`, or a Model CR's spec). */
export interface ModelDefinition {
  namespace: string;
  name: string;
  uri: string;
  requirements: string[];
  memoryBytes?: number;
  /** Pins the model to this Server. */
  server?: string;
  replicas: number;
  minReplicas: number;
  maxReplicas: number;
  artifactVersion?: number;
  parameters: { name: string; value: string }[];
  kubernetesMeta?: KubernetesMeta;
}

export interface ModelVersionStatus {
  version: number;
  /** Empty until scheduled. */
  serverName: string;
  state: ModelState;
  reason: string;
  availableReplicas: number;
  unavailableReplicas: number;
  lastChangeTimestamp: Date;
  /** Replica index on the server → its state. */
  replicas: Map<number, { state: ReplicaState; reason: string; lastChangeTimestamp: Date }>;
  definition: ModelDefinition;
}

export interface ModelStatusRecord {
  namespace: string;
  name: string;
  /** Newest last. */
  versions: ModelVersionStatus[];
  deleted: boolean;
}

/** A Server as the scheduler knows it: from a Server CR (the defaults are CRs too). */
export interface ServerDefinition {
  namespace: string;
  name: string;
  capabilities: string[];
  replicas: number;
  /** Memory of each replica, for placement. */
  memoryBytes: number;
  kubernetesMeta?: KubernetesMeta;
}

export interface ServerStatusRecord {
  definition: ServerDefinition;
  /** Per replica: models placed there (namespace/name → memory). */
  loaded: Map<string, number>[];
}

export type PipelineState =
  | 'PipelineStatusUnknown'
  | 'PipelineCreate'
  | 'PipelineCreating'
  | 'PipelineReady'
  | 'PipelineFailed'
  | 'PipelineTerminate'
  | 'PipelineTerminating'
  | 'PipelineTerminated';

export type JoinType = 'inner' | 'outer' | 'any';

export interface PipelineStepDefinition {
  name: string;
  inputs: string[];
  joinWindowMs?: number;
  tensorMap: Record<string, string>;
  inputsJoinType: JoinType;
  triggers: string[];
  triggersJoinType: JoinType;
  batch?: { size?: number; windowMs?: number };
}

export interface PipelineDefinition {
  namespace: string;
  name: string;
  steps: PipelineStepDefinition[];
  output?: { steps: string[]; joinWindowMs?: number; stepsJoin: JoinType; tensorMap: Record<string, string> };
  input?: {
    externalInputs: string[];
    externalTriggers: string[];
    joinWindowMs?: number;
    joinType: JoinType;
    triggersJoinType: JoinType;
    tensorMap: Record<string, string>;
  };
  kubernetesMeta?: KubernetesMeta;
}

export interface PipelineVersionStatus {
  version: number;
  uid: string;
  definition: PipelineDefinition;
  state: PipelineState;
  reason: string;
  modelsReady: boolean;
  lastChangeTimestamp: Date;
}

export interface PipelineStatusRecord {
  namespace: string;
  name: string;
  /** Newest last. */
  versions: PipelineVersionStatus[];
}

export interface ExperimentDefinition {
  namespace: string;
  name: string;
  default?: string;
  candidates: { name: string; weight: number }[];
  mirror?: { name: string; percent: number };
  resourceType: 'model' | 'pipeline';
  kubernetesMeta?: KubernetesMeta;
}

export interface ExperimentStatusRecord {
  definition: ExperimentDefinition;
  active: boolean;
  candidatesReady: boolean;
  mirrorReady: boolean;
  statusDescription: string;
}

/** What changed, for status streams and the operator; each carries the whole current record. */
export type SchedulerEvent =
  | { kind: 'model'; record: ModelStatusRecord }
  | { kind: 'pipeline'; record: PipelineStatusRecord; deleted: boolean }
  | { kind: 'experiment'; record: ExperimentStatusRecord; deleted: boolean }
  | { kind: 'server'; record: ServerStatusRecord; deleted: boolean };

/** A request the scheduler refuses, with the gRPC status Seldon's scheduler answers. */
export class SchedulerError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'FAILED_PRECONDITION' | 'INVALID_ARGUMENT',
    message: string,
  ) {
    super(message);
  }
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
