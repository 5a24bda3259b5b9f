/**
 * Between the scheduler's records and the messages of seldon.mlops.scheduler, as @grpc/proto-loader decodes
 * and encodes them (field names as in the proto, enums as their names, 64-bit integers as strings).
 */
import type {
  ExperimentDefinition,
  ExperimentStatusRecord,
  JoinType,
  KubernetesMeta,
  ModelDefinition,
  ModelStatusRecord,
  ModelVersionStatus,
  PipelineDefinition,
  PipelineStatusRecord,
  ServerStatusRecord,
} from './types.js';

type Message = Record<string, unknown>;

const JOIN_OF: Record<string, JoinType> = { INNER: 'inner', OUTER: 'outer', ANY: 'any' };
const JOIN_TO: Record<JoinType, string> = { inner: 'INNER', outer: 'OUTER', any: 'ANY' };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const map = (v: unknown): Record<string, string> => (v && typeof v === 'object' ? { ...(v as Record<string, string>) } : {});
const obj = (v: unknown): Message | undefined => (v && typeof v === 'object' ? (v as Message) : undefined);
const join = (v: unknown): JoinType => JOIN_OF[str(v)] ?? 'inner';

export function timestampOf(date: Date): Message {
  const ms = date.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

function metaOf(v: unknown): KubernetesMeta | undefined {
  const m = obj(v);
  return m ? { namespace: str(m.namespace), generation: num(m.generation) ?? 0 } : undefined;
}

function metaTo(meta: KubernetesMeta | undefined): Message | undefined {
  return meta ? { namespace: meta.namespace, generation: String(meta.generation) } : undefined;
}


/*
 * A scheduler serves one namespace (Seldon runs one per SeldonRuntime): what reaches it over gRPC lives in that
 * namespace, whatever Kubernetes metadata the caller attached (the `seldon` CLI copies the YAML's).
 */

export function modelFrom(message: Message, namespace: string): ModelDefinition {
  const meta = obj(message.meta) ?? {};
  const spec = obj(message.modelSpec) ?? {};
  const deployment = obj(message.deploymentSpec) ?? {};
  const kubernetesMeta = metaOf(meta.kubernetesMeta);
  const server = str(spec.server);
  const memory = num(spec.memoryBytes);
  const artifactVersion = num(spec.artifactVersion);
  return {
    namespace,
    name: str(meta.name),
    uri: str(spec.uri),
    requirements: list(spec.requirements),
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
    ...(server ? { server } : {}),
    replicas: Math.max(1, num(deployment.replicas) ?? 1),
    minReplicas: num(deployment.minReplicas) ?? 0,
    maxReplicas: num(deployment.maxReplicas) ?? 0,
    ...(artifactVersion !== undefined ? { artifactVersion } : {}),
    parameters: ((spec.parameters as Message[] | undefined) ?? []).map((p) => ({ name: str(p.name), value: str(p.value) })),
    ...(kubernetesMeta ? { kubernetesMeta } : {}),
  };
}

export function modelTo(d: ModelDefinition): Message {
  return {
    meta: { name: d.name, ...(d.kubernetesMeta ? { kubernetesMeta: metaTo(d.kubernetesMeta) } : {}) },
    modelSpec: {
      uri: d.uri,
      ...(d.artifactVersion !== undefined ? { artifactVersion: d.artifactVersion } : {}),
      requirements: d.requirements,
      ...(d.memoryBytes !== undefined ? { memoryBytes: String(d.memoryBytes) } : {}),
      ...(d.server ? { server: d.server } : {}),
      parameters: d.parameters,
    },
    deploymentSpec: { replicas: d.replicas, minReplicas: d.minReplicas, maxReplicas: d.maxReplicas },
  };
}

function versionTo(v: ModelVersionStatus): Message {
  const replicaState: Record<string, Message> = {};
  for (const [i, r] of v.replicas) replicaState[String(i)] = { state: r.state, reason: r.reason, lastChangeTimestamp: timestampOf(r.lastChangeTimestamp) };
  return {
    version: v.version,
    serverName: v.serverName,
    ...(v.definition.kubernetesMeta ? { kubernetesMeta: metaTo(v.definition.kubernetesMeta) } : {}),
    modelReplicaState: replicaState,
    state: {
      state: v.state,
      reason: v.reason,
      availableReplicas: v.availableReplicas,
      unavailableReplicas: v.unavailableReplicas,
      lastChangeTimestamp: timestampOf(v.lastChangeTimestamp),
    },
    modelDefn: modelTo(v.definition),
  };
}

export function modelStatusTo(record: ModelStatusRecord, allVersions: boolean): Message {
  const versions = allVersions ? record.versions : record.versions.slice(-1);
  return { modelName: record.name, versions: versions.map(versionTo), deleted: record.deleted };
}

export function serverStatusTo(record: ServerStatusRecord): Message {
  const { definition, loaded } = record;
  const resources = loaded.map((models, i) => {
    const used = [...models.values()].reduce((a, b) => a + b, 0);
    return {
      replicaIdx: i,
      totalMemoryBytes: String(definition.memoryBytes),
      availableMemoryBytes: String(Math.max(0, definition.memoryBytes - used)),
      numLoadedModels: models.size,
      overCommitPercentage: 0,
    };
  });
  return {
    serverName: definition.name,
    resources,
    expectedReplicas: definition.replicas,
    availableReplicas: definition.replicas,
    numLoadedModelReplicas: loaded.reduce((n, m) => n + m.size, 0),
    ...(definition.kubernetesMeta ? { kubernetesMeta: metaTo(definition.kubernetesMeta) } : {}),
  };
}

export function pipelineFrom(message: Message, namespace: string): PipelineDefinition {
  const output = obj(message.output);
  const input = obj(message.input);
  const kubernetesMeta = metaOf(message.kubernetesMeta);
  return {
    namespace,
    name: str(message.name),
    steps: ((message.steps as Message[] | undefined) ?? []).map((s) => {
      const batch = obj(s.batch);
      const window = num(s.joinWindowMs);
      return {
        name: str(s.name),
        inputs: list(s.inputs),
        ...(window !== undefined ? { joinWindowMs: window } : {}),
        tensorMap: map(s.tensorMap),
        inputsJoinType: join(s.inputsJoin),
        triggers: list(s.triggers),
        triggersJoinType: join(s.triggersJoin),
        ...(batch && (batch.size !== undefined || batch.windowMs !== undefined)
          ? { batch: { ...(num(batch.size) !== undefined ? { size: num(batch.size) } : {}), ...(num(batch.windowMs) !== undefined ? { windowMs: num(batch.windowMs) } : {}) } }
          : {}),
      };
    }),
    ...(output
      ? { output: { steps: list(output.steps), ...(num(output.joinWindowMs) ? { joinWindowMs: num(output.joinWindowMs) } : {}), stepsJoin: join(output.stepsJoin), tensorMap: map(output.tensorMap) } }
      : {}),
    ...(input
      ? {
          input: {
            externalInputs: list(input.externalInputs),
            externalTriggers: list(input.externalTriggers),
            ...(num(input.joinWindowMs) !== undefined ? { joinWindowMs: num(input.joinWindowMs) } : {}),
            joinType: join(input.joinType),
            triggersJoinType: join(input.triggersJoin),
            tensorMap: map(input.tensorMap),
          },
        }
      : {}),
    ...(kubernetesMeta ? { kubernetesMeta } : {}),
  };
}

export function pipelineTo(d: PipelineDefinition, uid: string, version: number): Message {
  // Seldon lists steps sorted by name.
  const steps = [...d.steps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name: d.name,
    uid,
    version,
    steps: steps.map((s) => ({
      name: s.name,
      inputs: s.inputs,
      ...(s.joinWindowMs !== undefined ? { joinWindowMs: s.joinWindowMs } : {}),
      tensorMap: s.tensorMap,
      inputsJoin: JOIN_TO[s.inputsJoinType],
      triggers: s.triggers,
      triggersJoin: JOIN_TO[s.triggersJoinType],
      ...(s.batch ? { batch: s.batch } : {}),
    })),
    ...(d.output ? { output: { steps: d.output.steps, joinWindowMs: d.output.joinWindowMs ?? 0, stepsJoin: JOIN_TO[d.output.stepsJoin], tensorMap: d.output.tensorMap } } : {}),
    ...(d.kubernetesMeta ? { kubernetesMeta: metaTo(d.kubernetesMeta) } : {}),
    ...(d.input
      ? {
          input: {
            externalInputs: d.input.externalInputs,
            externalTriggers: d.input.externalTriggers,
            ...(d.input.joinWindowMs !== undefined ? { joinWindowMs: d.input.joinWindowMs } : {}),
            joinType: JOIN_TO[d.input.joinType],
            triggersJoin: JOIN_TO[d.input.triggersJoinType],
            tensorMap: d.input.tensorMap,
          },
        }
      : {}),
  };
}

export function pipelineStatusTo(record: PipelineStatusRecord): Message {
  return {
    pipelineName: record.name,
    versions: record.versions.map((v) => ({
      pipeline: pipelineTo(v.definition, v.uid, v.version),
      state: {
        pipelineVersion: v.version,
        status: v.state,
        reason: v.reason,
        lastChangeTimestamp: timestampOf(v.lastChangeTimestamp),
        modelsReady: v.modelsReady,
      },
    })),
  };
}

export function experimentFrom(message: Message, namespace: string): ExperimentDefinition {
  const mirror = obj(message.mirror);
  const kubernetesMeta = metaOf(message.kubernetesMeta);
  const dflt = str(message.default);
  return {
    namespace,
    name: str(message.name),
    ...(dflt ? { default: dflt } : {}),
    candidates: ((message.candidates as Message[] | undefined) ?? []).map((c) => ({ name: str(c.name), weight: num(c.weight) ?? 0 })),
    ...(mirror ? { mirror: { name: str(mirror.name), percent: num(mirror.percent) ?? 0 } } : {}),
    resourceType: str(message.resourceType) === 'PIPELINE' ? 'pipeline' : 'model',
    ...(kubernetesMeta ? { kubernetesMeta } : {}),
  };
}

export function experimentStatusTo(record: ExperimentStatusRecord): Message {
  return {
    experimentName: record.definition.name,
    active: record.active,
    candidatesReady: record.candidatesReady,
    mirrorReady: record.mirrorReady,
    statusDescription: record.statusDescription,
    ...(record.definition.kubernetesMeta ? { kubernetesMeta: metaTo(record.definition.kubernetesMeta) } : {}),
  };
}
