/**
 * A Model, Pipeline or Experiment manifest (YAML, as `seldon … -f FILE` reads it) as the scheduler request the CLI
 * sends. Like the CLI, the reading is strict: a field the resource does not have fails with Go's JSON decoder's
 * words (`json: unknown field "storagUri"`), checked in document order.
 */
import { parseDocument } from 'yaml';

/** A manifest the CLI would refuse; `message` is what it prints after `Error: `. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

type Obj = Record<string, unknown>;

/** Each resource's known fields; `true` is a leaf (not looked into), an object describes nested fields. */
type Shape = { [field: string]: true | Shape | { each: Shape } };

const META: Shape = Object.fromEntries(
  ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
    'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'].map((f) => [f, true]),
);
const leaves = (...names: string[]): Shape => Object.fromEntries(names.map((n) => [n, true]));

const SPECS: Record<string, Shape> = {
  Model: {
    ...leaves('storageUri', 'artifactVersion', 'schemaUri', 'secretName', 'requirements', 'memory', 'server', 'preloaded', 'dedicated',
      'explainer', 'llm', 'dataflow', 'replicas', 'minReplicas', 'maxReplicas', 'logger', 'modelType'),
    parameters: { each: leaves('name', 'value') },
  },
  Pipeline: {
    ...leaves('dataflow', 'allowCycles', 'maxStepRevisits'),
    steps: { each: leaves('name', 'inputs', 'joinWindowMs', 'tensorMap', 'triggers', 'inputsJoinType', 'triggersJoinType', 'batch') },
    output: leaves('steps', 'joinWindowMs', 'stepsJoin', 'tensorMap'),
    input: leaves('externalInputs', 'externalTriggers', 'joinWindowMs', 'joinType', 'triggersJoinType', 'tensorMap'),
  },
  Experiment: {
    ...leaves('default', 'resourceType'),
    candidates: { each: leaves('name', 'weight') },
    mirror: leaves('name', 'percent'),
  },
};

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strict(value: unknown, shape: Shape): void {
  if (!isObj(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const known = shape[key];
    if (known === undefined) throw new ManifestError(`json: unknown field ${JSON.stringify(key)}`);
    if (known === true) continue;
    if ('each' in known && Array.isArray(v)) for (const item of v) strict(item, known.each as Shape);
    else if (!('each' in known)) strict(v, known);
  }
}

/** The first document of the file, checked against the kind's fields. */
export function readManifest(text: string, kind: 'Model' | 'Pipeline' | 'Experiment'): Obj {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ManifestError(`error converting YAML to JSON: yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  const value = (doc.toJS() ?? {}) as unknown;
  if (!isObj(value)) throw new ManifestError(`json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type v1alpha1.${kind}`);
  strict(value, { ...leaves('apiVersion', 'kind', 'status'), metadata: META, spec: SPECS[kind]! });
  return value;
}

/** A Kubernetes quantity (`100Ki`, `1.5Gi`, `500M`) in bytes, rounded up as resource.Quantity.Value() does. */
export function quantityBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E|m)?$/.exec(text.trim());
  if (!m) throw new ManifestError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const factors: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };
  return Math.ceil(Number(m[1]) * (m[2] ? factors[m[2]]! : 1));
}

function meta(manifest: Obj): { name: string; kubernetesMeta: Obj } {
  const md = isObj(manifest.metadata) ? manifest.metadata : {};
  const kubernetesMeta: Obj = {};
  if (typeof md.namespace === 'string') kubernetesMeta.namespace = md.namespace;
  if (typeof md.generation === 'number') kubernetesMeta.generation = md.generation;
  return { name: typeof md.name === 'string' ? md.name : '', kubernetesMeta };
}

function spec(manifest: Obj): Obj {
  return isObj(manifest.spec) ? manifest.spec : {};
}

/** `LoadModelRequest.model`. */
export function schedulerModel(manifest: Obj): Obj {
  const s = spec(manifest);
  const { name, kubernetesMeta } = meta(manifest);
  const modelSpec: Obj = { uri: s.storageUri ?? '', requirements: Array.isArray(s.requirements) ? s.requirements : [] };
  if (typeof s.artifactVersion === 'number') modelSpec.artifactVersion = s.artifactVersion;
  if (typeof s.secretName === 'string') modelSpec.storageConfig = { storageSecretName: s.secretName };
  if (s.memory !== undefined) modelSpec.memoryBytes = quantityBytes(String(s.memory));
  if (typeof s.server === 'string') modelSpec.server = s.server;
  if (Array.isArray(s.parameters)) modelSpec.parameters = s.parameters;
  const deploymentSpec: Obj = { replicas: typeof s.replicas === 'number' ? s.replicas : 1, logPayloads: s.logger !== undefined };
  if (typeof s.minReplicas === 'number') deploymentSpec.minReplicas = s.minReplicas;
  if (typeof s.maxReplicas === 'number') deploymentSpec.maxReplicas = s.maxReplicas;
  return { meta: { name, kind: 'Model', kubernetesMeta }, modelSpec, deploymentSpec };
}

/** `step` → `step.outputs`: a bare name means the whole output, as Seldon's conversion writes it. */
function qualified(names: unknown): string[] {
  return Array.isArray(names) ? names.map(String).map((n) => (n.includes('.') ? n : `${n}.outputs`)) : [];
}

const JOIN: Record<string, string> = { inner: 'INNER', outer: 'OUTER', any: 'ANY' };

function join(value: unknown): string {
  return JOIN[String(value ?? 'inner')] ?? 'INNER';
}

/** `LoadPipelineRequest.pipeline`. */
export function schedulerPipeline(manifest: Obj): Obj {
  const s = spec(manifest);
  const { name, kubernetesMeta } = meta(manifest);
  const steps = (Array.isArray(s.steps) ? s.steps : []).filter(isObj).map((step) => {
    const out: Obj = { name: step.name, inputs: qualified(step.inputs), triggers: qualified(step.triggers) };
    if (typeof step.joinWindowMs === 'number') out.joinWindowMs = step.joinWindowMs;
    if (isObj(step.tensorMap)) out.tensorMap = step.tensorMap;
    out.inputsJoin = join(step.inputsJoinType);
    out.triggersJoin = join(step.triggersJoinType);
    if (isObj(step.batch)) out.batch = step.batch;
    return out;
  });
  const pipeline: Obj = { name, steps, kubernetesMeta };
  if (isObj(s.output)) {
    const o = s.output;
    pipeline.output = { steps: qualified(o.steps), joinWindowMs: o.joinWindowMs ?? 0, stepsJoin: join(o.stepsJoin), ...(isObj(o.tensorMap) ? { tensorMap: o.tensorMap } : {}) };
  }
  if (isObj(s.input)) {
    const i = s.input;
    pipeline.input = {
      externalInputs: qualified(i.externalInputs),
      externalTriggers: qualified(i.externalTriggers),
      ...(typeof i.joinWindowMs === 'number' ? { joinWindowMs: i.joinWindowMs } : {}),
      joinType: join(i.joinType),
      triggersJoin: join(i.triggersJoinType),
      ...(isObj(i.tensorMap) ? { tensorMap: i.tensorMap } : {}),
    };
  }
  return pipeline;
}

/** `StartExperimentRequest.experiment`. */
export function schedulerExperiment(manifest: Obj): Obj {
  const s = spec(manifest);
  const { name, kubernetesMeta } = meta(manifest);
  const experiment: Obj = {
    name,
    candidates: (Array.isArray(s.candidates) ? s.candidates : []).filter(isObj).map((c) => ({ name: c.name, weight: c.weight ?? 0 })),
    kubernetesMeta,
    resourceType: s.resourceType === 'pipeline' ? 'PIPELINE' : 'MODEL',
  };
  if (typeof s.default === 'string') experiment.default = s.default;
  if (isObj(s.mirror)) experiment.mirror = { name: s.mirror.name, percent: s.mirror.percent ?? 0 };
  return experiment;
}

/** The `metadata.name` of a manifest (unload and stop by `-f FILE`). */
export function manifestName(manifest: Obj): string {
  return meta(manifest).name;
}
