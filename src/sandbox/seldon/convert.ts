/**
 * Seldon custom resources → the scheduler's definitions, as Seldon's operator converts them before calling the
 * scheduler (kubernetesMeta carries the namespace and generation).
 */
import type { KubeObject } from '../types.js';
import type { ExperimentDefinition, JoinType, ModelDefinition, PipelineDefinition, ServerDefinition } from '../scheduler/types.js';

/** Capabilities of the ServerConfigs Seldon installs. */
export const SERVER_CONFIG_CAPABILITIES: Record<string, string[]> = {
  mlserver: ['mlserver', 'alibi-detect', 'alibi-explain', 'huggingface', 'lightgbm', 'mlflow', 'python', 'sklearn', 'spark-mlib', 'xgboost'],
  triton: ['triton', 'dali', 'fil', 'onnx', 'openvino', 'python', 'pytorch', 'tensorflow', 'tensorrt'],
};

/** Memory of one server replica in the sandbox (what placement divides among models). */
export const SERVER_REPLICA_MEMORY = 1024 ** 3;

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6, m: 1e-3 };

/** A Kubernetes quantity (`100Ki`, `1.5G`, `2e3`, 512) in bytes, rounded up; undefined when absent or unreadable. */
export function quantityBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Math.ceil(value);
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : 1);
  const unit = m[3] === 'n' ? 1e-9 : m[3] === 'u' ? 1e-6 : SUFFIX[m[3] ?? ''] ?? 1;
  return Math.ceil(base * unit);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const count = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const record = (v: unknown): Record<string, string> => (v && typeof v === 'object' ? { ...(v as Record<string, string>) } : {});
const join = (v: unknown): JoinType => (v === 'outer' || v === 'any' ? v : 'inner');

function meta(o: KubeObject) {
  return { namespace: o.metadata.namespace ?? 'default', generation: o.metadata.generation ?? 1 };
}

export function modelDefinition(o: KubeObject): ModelDefinition {
  const spec = o.spec ?? {};
  const memory = quantityBytes(spec.memory);
  const server = text(spec.server);
  const artifactVersion = count(spec.artifactVersion);
  return {
    namespace: meta(o).namespace,
    name: o.metadata.name,
    uri: String(spec.storageUri ?? ''),
    requirements: strings(spec.requirements),
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
    ...(server ? { server } : {}),
    replicas: count(spec.replicas) ?? 1,
    minReplicas: count(spec.minReplicas) ?? 0,
    maxReplicas: count(spec.maxReplicas) ?? 0,
    ...(artifactVersion !== undefined ? { artifactVersion } : {}),
    parameters: ((spec.parameters ?? []) as { name: string; value: string }[]).map((p) => ({ name: p.name, value: p.value })),
    kubernetesMeta: meta(o),
  };
}

export function serverDefinition(o: KubeObject): ServerDefinition {
  const spec = o.spec ?? {};
  const config = String(spec.serverConfig ?? '');
  const base = Array.isArray(spec.capabilities) ? strings(spec.capabilities) : (SERVER_CONFIG_CAPABILITIES[config] ?? []);
  return {
    namespace: meta(o).namespace,
    name: o.metadata.name,
    capabilities: [...base, ...strings(spec.extraCapabilities).filter((c) => !base.includes(c))],
    replicas: count(spec.replicas) ?? 1,
    memoryBytes: SERVER_REPLICA_MEMORY,
    kubernetesMeta: meta(o),
  };
}

export function pipelineDefinition(o: KubeObject): PipelineDefinition {
  const spec = o.spec ?? {};
  const steps = (Array.isArray(spec.steps) ? spec.steps : []) as Record<string, unknown>[];
  const output = spec.output as Record<string, unknown> | undefined;
  const input = spec.input as Record<string, unknown> | undefined;
  return {
    namespace: meta(o).namespace,
    name: o.metadata.name,
    steps: steps.map((s) => {
      const batch = s.batch as Record<string, unknown> | undefined;
      return {
        name: String(s.name ?? ''),
        inputs: strings(s.inputs),
        ...(count(s.joinWindowMs) !== undefined ? { joinWindowMs: count(s.joinWindowMs) } : {}),
        tensorMap: record(s.tensorMap),
        inputsJoinType: join(s.inputsJoinType),
        triggers: strings(s.triggers),
        triggersJoinType: join(s.triggersJoinType),
        ...(batch ? { batch: { ...(count(batch.size) !== undefined ? { size: count(batch.size) } : {}), ...(count(batch.windowMs) !== undefined ? { windowMs: count(batch.windowMs) } : {}) } } : {}),
      };
    }),
    ...(output
      ? { output: { steps: strings(output.steps), ...(count(output.joinWindowMs) !== undefined ? { joinWindowMs: count(output.joinWindowMs) } : {}), stepsJoin: join(output.stepsJoin), tensorMap: record(output.tensorMap) } }
      : {}),
    ...(input
      ? {
          input: {
            externalInputs: strings(input.externalInputs),
            externalTriggers: strings(input.externalTriggers),
            ...(count(input.joinWindowMs) !== undefined ? { joinWindowMs: count(input.joinWindowMs) } : {}),
            joinType: join(input.joinType),
            triggersJoinType: join(input.triggersJoinType),
            tensorMap: record(input.tensorMap),
          },
        }
      : {}),
    kubernetesMeta: meta(o),
  };
}

export function experimentDefinition(o: KubeObject): ExperimentDefinition {
  const spec = o.spec ?? {};
  const mirror = spec.mirror as { name?: string; percent?: number } | undefined;
  const dflt = text(spec.default);
  return {
    namespace: meta(o).namespace,
    name: o.metadata.name,
    ...(dflt ? { default: dflt } : {}),
    candidates: ((spec.candidates ?? []) as { name?: string; weight?: number }[]).map((c) => ({ name: String(c.name ?? ''), weight: c.weight ?? 0 })),
    ...(mirror ? { mirror: { name: String(mirror.name ?? ''), percent: mirror.percent ?? 0 } } : {}),
    resourceType: spec.resourceType === 'pipeline' ? 'pipeline' : 'model',
    kubernetesMeta: meta(o),
  };
}
