/**
 * The scheduler's Pipelines: versions with xid uids, Seldon's validation on load, and readiness that waits for
 * the step models (PipelineReady only once every step's model is available and the data plane serves the
 * pipeline).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ModelArtefact, PipelineRegistry, PipelineSpec } from '../types.js';
import { missingTensor, pipelineProblem } from './pipeline-validate.js';
import type { ModelVersionStatus, PipelineDefinition, PipelineState, PipelineStatusRecord, PipelineVersionStatus, SchedulerEvent } from './types.js';
import { SchedulerError, keyOf } from './types.js';
import { xid } from './xid.js';

export const PIPELINE_CREATED = 'created pipeline';

/** What the pipelines need to know of models. */
export interface ModelView {
  available(namespace: string, name: string): ModelVersionStatus | undefined;
  artefact(namespace: string, name: string): ModelArtefact | undefined;
}

export interface PipelineBookOptions {
  registry: PipelineRegistry;
  models: ModelView;
  emit: (event: SchedulerEvent) => void;
  now: () => Date;
}

export class PipelineBook {
  readonly #records = new Map<string, PipelineStatusRecord>();
  /** uids of versions the data plane is loading or serves. */
  readonly #loaded = new Set<string>();

  constructor(private readonly options: PipelineBookOptions) {}

  /** LoadPipeline: refuses an invalid pipeline with Seldon's message; a changed one becomes a new version. */
  load(input: PipelineDefinition): void {
    const definition = normalized(input);
    const problem = pipelineProblem(definition);
    if (problem) throw new SchedulerError('FAILED_PRECONDITION', problem);
    const key = keyOf(definition.namespace, definition.name);
    let record = this.#records.get(key);
    if (!record) this.#records.set(key, (record = { namespace: definition.namespace, name: definition.name, versions: [] }));
    const latest = record.versions.at(-1);
    if (latest && sameSpec(latest.definition, definition) && latest.state !== 'PipelineFailed') {
      latest.definition = definition;
      this.options.emit({ kind: 'pipeline', record, deleted: false });
      return;
    }
    const version: PipelineVersionStatus = {
      version: (latest?.version ?? 0) + 1,
      uid: xid(this.options.now()),
      definition,
      state: 'PipelineCreate',
      reason: '',
      modelsReady: false,
      lastChangeTimestamp: this.options.now(),
    };
    record.versions = [version];
    this.options.emit({ kind: 'pipeline', record, deleted: false });
    this.refresh(definition.namespace);
  }

  /** UnloadPipeline: the data plane stops serving it and the record goes. */
  unload(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const record = this.#records.get(key);
    if (!record) throw new SchedulerError('NOT_FOUND', `pipeline ${name} not found`);
    const latest = record.versions.at(-1)!;
    this.#set(latest, 'PipelineTerminating', '');
    this.options.emit({ kind: 'pipeline', record, deleted: false });
    this.options.registry.unload({ namespace, name });
    this.#loaded.delete(latest.uid);
    this.#records.delete(key);
    this.#set(latest, 'PipelineTerminated', 'pipeline removed');
    this.options.emit({ kind: 'pipeline', record, deleted: true });
  }

  get(namespace: string, name: string): PipelineStatusRecord | undefined {
    return this.#records.get(keyOf(namespace, name));
  }

  list(namespace?: string): PipelineStatusRecord[] {
    return [...this.#records.values()].filter((p) => namespace === undefined || p.namespace === namespace);
  }

  ready(namespace: string, name: string): boolean {
    return this.get(namespace, name)?.versions.at(-1)?.state === 'PipelineReady';
  }

  /** Re-evaluates the namespace's pipelines after a model (or pipeline) changed. */
  refresh(namespace: string): void {
    for (const record of this.list(namespace)) this.#evaluate(record);
  }

  #evaluate(record: PipelineStatusRecord): void {
    const version = record.versions.at(-1);
    if (!version || version.state === 'PipelineTerminating' || version.state === 'PipelineTerminated') return;
    const { namespace } = record;
    const missing = version.definition.steps.map((s) => s.name).filter((m) => !this.options.models.available(namespace, m));
    const modelsReady = missing.length === 0;
    const before = [version.state, version.reason, version.modelsReady];
    version.modelsReady = modelsReady;
    if (!modelsReady) {
      this.#set(version, 'PipelineCreating', `waiting for models: ${missing.join(', ')}`);
    } else if (!this.#loaded.has(version.uid)) {
      const tensor = missingTensor(version.definition, (model) => this.options.models.artefact(namespace, model));
      if (tensor) this.#set(version, 'PipelineFailed', tensor);
      else {
        this.#set(version, 'PipelineCreating', '');
        this.#loaded.add(version.uid);
        void this.#start(record, version);
      }
    }
    if (!isDeepStrictEqual(before, [version.state, version.reason, version.modelsReady])) this.options.emit({ kind: 'pipeline', record, deleted: false });
  }

  async #start(record: PipelineStatusRecord, version: PipelineVersionStatus): Promise<void> {
    let failure: string | undefined;
    try {
      await this.options.registry.load({ namespace: record.namespace, name: record.name, version: version.version, uid: version.uid, spec: specOf(version.definition) });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (this.get(record.namespace, record.name)?.versions.at(-1) !== version) return;
    if (failure) {
      this.#loaded.delete(version.uid);
      this.#set(version, 'PipelineFailed', failure);
    } else if (version.modelsReady) this.#set(version, 'PipelineReady', PIPELINE_CREATED);
    this.options.emit({ kind: 'pipeline', record, deleted: false });
  }

  #set(version: PipelineVersionStatus, state: PipelineState, reason: string): void {
    if (version.state !== state || version.reason !== reason) version.lastChangeTimestamp = this.options.now();
    version.state = state;
    version.reason = reason;
  }
}

/**
 * References as Seldon's scheduler stores them: a bare step name means its outputs, the pipeline's own name its
 * inputs (`tfsimple1` → `tfsimple1.outputs`, `mypipe` → `mypipe.inputs`).
 */
export function normalized(p: PipelineDefinition): PipelineDefinition {
  const refs = (list: string[]) => list.map((r) => (r.includes('.') ? r : `${r}.${r === p.name ? 'inputs' : 'outputs'}`));
  return {
    ...p,
    steps: p.steps.map((s) => ({ ...s, inputs: refs(s.inputs), triggers: refs(s.triggers) })),
    ...(p.output ? { output: { ...p.output, steps: refs(p.output.steps) } } : {}),
  };
}

function sameSpec(a: PipelineDefinition, b: PipelineDefinition): boolean {
  const { kubernetesMeta: _a, ...left } = a;
  const { kubernetesMeta: _b, ...right } = b;
  return isDeepStrictEqual(left, right);
}

/** The data plane's view: the CR's field names. */
export function specOf(p: PipelineDefinition): PipelineSpec {
  return {
    steps: p.steps.map((s) => ({
      name: s.name,
      inputs: s.inputs,
      ...(s.joinWindowMs !== undefined ? { joinWindowMs: s.joinWindowMs } : {}),
      tensorMap: s.tensorMap,
      inputsJoinType: s.inputsJoinType,
      triggers: s.triggers,
      triggersJoinType: s.triggersJoinType,
      ...(s.batch ? { batch: s.batch } : {}),
    })),
    ...(p.output ? { output: p.output } : {}),
    ...(p.input ? { input: p.input } : {}),
  };
}
