/**
 * One run of a pipeline's dataflow, as Seldon's Kafka Streams topology runs it for one request: a step runs
 * once its inputs and triggers are present (by its join types), its model answers, and each step's and the
 * pipeline's inputs and outputs go to their topics. Everything upstream of a step has settled before the step
 * is looked at, so a join never needs to wait: `outer` takes what is present, `any` the first to arrive.
 */
import type { JoinType, PipelineStepSpec } from '../../types.js';
import { topicRequest, topicResponse } from '../encode.js';
import type { LoadedModel } from '../registry.js';
import { inferModel } from '../serving.js';
import { InferenceError, type Tensor } from '../tensor.js';
import type { LoadedPipeline } from './pipeline-registry.js';
import { localKey, parseLocal, type LocalRef } from './references.js';
import type { MemoryTopicLog } from './topic-log.js';

export interface DataflowDeps {
  model(namespace: string, name: string): LoadedModel | undefined;
  topics: MemoryTopicLog;
  /**
   * Queues the inputs of a step whose spec asks for batching; the batch runs once full (or its window ends), off
   * the request's path. Absent: batched steps run alone.
   */
  batch?(pipeline: LoadedPipeline, step: PipelineStepSpec, model: LoadedModel, inputs: Tensor[], requestId: string): void;
}

/** Data a run produced, for pipelines that read this one (input.externalInputs). */
export interface RunEvent {
  step?: string;
  side: 'inputs' | 'outputs';
  tensors: Tensor[];
}

export interface RunResult {
  /** What `output.steps` produced; undefined when its join was never satisfied. */
  outputs?: Tensor[];
  /** `:model_version:` of each model that answered, in order (x-seldon-route). */
  route: string[];
  events: RunEvent[];
}

interface Settled {
  ran: boolean;
  inputs?: Tensor[];
  outputs?: Tensor[];
  /** Arrival order, for `any` joins. */
  seq: number;
}

interface Present {
  ref: LocalRef;
  tensors: Tensor[];
  seq: number;
}

/** What a run needs of a spec, worked out once per loaded version: step order, parsed references, topic names. */
interface Compiled {
  /** Steps in an order where each comes after the steps it reads; steps in a cycle are left out (they never run). */
  order: PipelineStepSpec[];
  stranded: string[];
  refs: Map<string, LocalRef>;
  /** Topic names: the pipeline's own, and each step's model's. */
  topics: { inputs: string; outputs: string };
  stepTopics: Map<string, { inputs: string; outputs: string }>;
}

const compiledSpecs = new WeakMap<LoadedPipeline, Compiled>();

function compile(pipeline: LoadedPipeline): Compiled {
  const cached = compiledSpecs.get(pipeline);
  if (cached) return cached;
  const { namespace, name, spec } = pipeline;
  const refs = new Map<string, LocalRef>();
  const texts = [...spec.steps.flatMap((s) => [...(s.inputs ?? []), ...(s.triggers ?? [])]), ...(spec.output?.steps ?? [])];
  for (const text of texts) {
    const ref = parseLocal(text, name);
    if (ref) refs.set(text, ref);
  }
  const names = new Set(spec.steps.map((s) => s.name));
  const upstream = (step: PipelineStepSpec): string[] =>
    [...(step.inputs ?? []), ...(step.triggers ?? [])].flatMap((text) => {
      const ref = refs.get(text);
      return ref?.kind === 'step' && names.has(ref.step) ? [ref.step] : [];
    });
  const order: PipelineStepSpec[] = [];
  const placed = new Set<string>();
  const pending = [...spec.steps];
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    for (const step of [...pending]) {
      if (!upstream(step).every((s) => placed.has(s))) continue;
      pending.splice(pending.indexOf(step), 1);
      placed.add(step.name);
      order.push(step);
      progress = true;
    }
  }
  const topicsOf = (kind: 'model' | 'pipeline', of: string) => ({ inputs: `seldon.${namespace}.${kind}.${of}.inputs`, outputs: `seldon.${namespace}.${kind}.${of}.outputs` });
  const result: Compiled = {
    order,
    stranded: pending.map((s) => s.name),
    refs,
    topics: topicsOf('pipeline', name),
    stepTopics: new Map(spec.steps.map((s) => [s.name, topicsOf('model', s.name)])),
  };
  compiledSpecs.set(pipeline, result);
  return result;
}

/**
 * Runs `pipeline` on `inputs` for request `requestId`; throws InferenceError when a step's model refuses.
 * `routeSoFar`: the route of the pipeline whose outputs fed this run (Seldon carries its headers along).
 */
export function runPipeline(pipeline: LoadedPipeline, inputs: Tensor[], requestId: string, deps: DataflowDeps, routeSoFar: readonly string[] = []): RunResult {
  const { namespace, name, spec } = pipeline;
  const { order, stranded, refs, topics, stepTopics } = compile(pipeline);
  const route: string[] = [...routeSoFar];
  // What Seldon's gateways put on each message; the route so far grows as models answer.
  const headers = (): (() => Record<string, string[]>) => {
    const soFar = route.join(' ');
    return () => ({ pipeline: [name], 'x-request-id': [requestId], 'x-forwarded-proto': ['http'], ...(soFar ? { 'x-seldon-route': [soFar] } : {}) });
  };
  deps.topics.append(topics.inputs, requestId, () => topicRequest(inputs), headers());
  const events: RunEvent[] = [{ side: 'inputs', tensors: inputs }];
  const settled = new Map<string, Settled>();
  let seq = 0;

  const parse = (text: string): LocalRef => {
    const ref = refs.get(text);
    if (!ref) throw new InferenceError(500, `pipeline ${name}: cannot read reference ${text}`);
    return ref;
  };
  const present = (ref: LocalRef): Present | undefined => {
    if (ref.kind === 'pipeline') return pick(ref, inputs, 0);
    const state = settled.get(ref.step);
    if (!state?.ran) return undefined;
    return pick(ref, (ref.side === 'inputs' ? state.inputs : state.outputs) ?? [], state.seq);
  };
  const gather = (texts: readonly string[], join: JoinType | undefined, tensorMap: Record<string, string> | undefined): Tensor[] | undefined => {
    const joined = joinRefs(texts.map(parse), join ?? 'inner', present);
    if (!joined) return undefined;
    return joined.flatMap(({ ref, tensors }) =>
      tensors.map((t) => ({ ...t, name: tensorMap?.[localKey(ref, t.name, name)] ?? t.name })),
    );
  };
  for (const step of order) {
    const stepInputs = step.inputs && step.inputs.length > 0 ? gather(step.inputs, step.inputsJoinType, step.tensorMap) : inputs.map((t) => ({ ...t, name: step.tensorMap?.[`${name}.inputs.${t.name}`] ?? t.name }));
    const triggered = !step.triggers || step.triggers.length === 0 || gather(step.triggers, step.triggersJoinType, undefined) !== undefined;
    if (!stepInputs || !triggered) {
      settled.set(step.name, { ran: false, seq: ++seq });
      continue;
    }
    const model = deps.model(namespace, step.name);
    if (!model) throw new InferenceError(500, `pipeline ${name}: model ${step.name} of step ${step.name} is not loaded`);
    if (step.batch && (step.batch.size ?? 0) > 1 && deps.batch) {
      // A batched step answers for many requests at once (Seldon's samples batch drift detectors, off the
      // answer's path): for this request it has not run.
      deps.batch(pipeline, step, model, stepInputs, requestId);
      settled.set(step.name, { ran: false, seq: ++seq });
      continue;
    }
    const stepTopic = stepTopics.get(step.name)!;
    deps.topics.append(stepTopic.inputs, requestId, () => topicRequest(stepInputs), headers());
    const outputs = inferModel(model, { id: '', inputs: stepInputs }).outputs;
    route.push(`:${model.servedName}:`);
    deps.topics.append(stepTopic.outputs, requestId, () => topicResponse(outputs, { name: model.servedName, version: String(model.version) }), headers());
    settled.set(step.name, { ran: true, inputs: stepInputs, outputs, seq: ++seq });
    events.push({ step: step.name, side: 'inputs', tensors: stepInputs }, { step: step.name, side: 'outputs', tensors: outputs });
  }
  for (const step of stranded) settled.set(step, { ran: false, seq: ++seq });

  const outputRefs = spec.output?.steps ?? [];
  const outputs = gather(outputRefs, spec.output?.stepsJoin, spec.output?.tensorMap);
  if (outputs) {
    // The answer is a response: raw bytes were turned into contents on the way.
    deps.topics.append(topics.outputs, requestId, () => topicResponse(outputs), headers());
    events.push({ side: 'outputs', tensors: outputs });
  }
  return { outputs, route, events };
}

function pick(ref: LocalRef, tensors: Tensor[], seq: number): Present | undefined {
  if (ref.tensor === undefined) return { ref, tensors, seq };
  const tensor = tensors.find((t) => t.name === ref.tensor);
  return tensor ? { ref, tensors: [tensor], seq } : undefined;
}

/** Seldon's joins: inner needs every reference, outer at least one (taking all present), any the first to arrive. */
export function joinRefs<R>(refs: R[], join: JoinType, present: (ref: R) => { ref: R; tensors: Tensor[]; seq: number } | undefined): Array<{ ref: R; tensors: Tensor[] }> | undefined {
  const found = refs.map(present);
  const available = found.filter((p): p is NonNullable<typeof p> => p !== undefined);
  switch (join) {
    case 'inner':
      return available.length === refs.length ? available : undefined;
    case 'outer':
      return available.length > 0 ? available : undefined;
    case 'any': {
      const first = available.reduce<(typeof available)[number] | undefined>((a, b) => (!a || b.seq < a.seq ? b : a), undefined);
      return first ? [first] : undefined;
    }
  }
}
