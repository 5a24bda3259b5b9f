/**
 * The sandbox's Seldon scheduler: the source of truth for Models, Servers, Pipelines and Experiments, as in
 * Seldon Core 2. It places models on servers, loads them into the data plane after a delay (a model server
 * downloading its artefact), assembles pipelines and experiments once what they name is available, and tells
 * listeners (the gRPC status streams, the operator emulation) every change.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ExperimentRegistry, ModelArtefact, ModelRegistry, PipelineRegistry } from '../types.js';
import { ModelLoadError } from '../types.js';
import { ExperimentBook } from './experiments.js';
import { place } from './placement.js';
import { PipelineBook } from './pipelines.js';
import type {
  ModelDefinition,
  ModelState,
  ModelStatusRecord,
  ModelVersionStatus,
  SchedulerEvent,
  ServerDefinition,
  ServerStatusRecord,
} from './types.js';
import { SchedulerError, keyOf } from './types.js';

/** The namespace whose Servers every namespace without Servers of its own shares. */
export const SHARED_NAMESPACE = 'seldon-mesh';

export interface SchedulerOptions {
  registry: ModelRegistry;
  pipelines: PipelineRegistry;
  experiments: ExperimentRegistry;
  /** Time from scheduling a model to its load, in ms (the artefact download). */
  loadDelayMs: number;
  /** A line for a server replica's log (`kubectl logs mlserver-0`). */
  log?: (server: { namespace: string; name: string }, replica: number, line: string) => void;
  now?: () => Date;
}

type Listener = (event: SchedulerEvent) => void;

/**
 * Per kind, the states from which this scheduler never makes a resource ready by itself; the sandbox publishes
 * them in its kubeconfig so that a wait for readiness ends at once instead of at its timeout. A model load fails
 * only when the data plane cannot serve the artefact (its URI decides, never chance), and a failed version is not
 * loaded again: only a new version (the resource re-applied) or an unload moves it on. A Model refused on load is
 * ModelFailed until re-applied too. ScheduleFailed is not one: a Server applied later places the model
 * (`#retryFailed`).
 */
export const PERMANENT_STATES: Readonly<Record<string, readonly string[]>> = { Model: ['ModelFailed'] };

export class Scheduler {
  readonly #models = new Map<string, ModelStatusRecord>();
  readonly #servers = new Map<string, ServerStatusRecord>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #listeners = new Set<Listener>();
  readonly pipelines: PipelineBook;
  readonly experiments: ExperimentBook;
  readonly now: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    const emit = (event: SchedulerEvent) => this.emit(event);
    // A pipeline that becomes ready (or goes) may complete a pipeline experiment.
    const pipelineEmit = (event: SchedulerEvent) => {
      this.emit(event);
      if (event.kind === 'pipeline') this.experiments.refresh(event.record.namespace);
    };
    this.pipelines = new PipelineBook({ registry: options.pipelines, models: this, emit: pipelineEmit, now: this.now });
    this.experiments = new ExperimentBook({ registry: options.experiments, models: this, pipelines: this.pipelines, emit });
  }

  /** Called synchronously after every change; returns an unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- Models ----

  /**
   * Accepts a model (LoadModel): a definition that differs from the latest version's makes a new version, which
   * is placed and loaded; an identical one changes nothing but its Kubernetes metadata.
   */
  loadModel(definition: ModelDefinition): void {
    if (!definition.name) throw new SchedulerError('INVALID_ARGUMENT', 'model name is required');
    const key = keyOf(definition.namespace, definition.name);
    let record = this.#models.get(key);
    if (!record || record.deleted) {
      record = { namespace: definition.namespace, name: definition.name, versions: [], deleted: false };
      this.#models.set(key, record);
    }
    const latest = record.versions.at(-1);
    if (latest && sameSpec(latest.definition, definition)) {
      latest.definition = definition;
      this.emit({ kind: 'model', record });
      return;
    }
    const version: ModelVersionStatus = {
      version: (latest?.version ?? 0) + 1,
      serverName: '',
      state: 'ModelStateUnknown',
      reason: '',
      availableReplicas: 0,
      unavailableReplicas: 0,
      lastChangeTimestamp: this.now(),
      replicas: new Map(),
      definition,
    };
    record.versions.push(version);
    this.#schedule(record, version);
  }

  /** Starts unloading a model (UnloadModel); the record goes once the servers have dropped it. */
  unloadModel(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const record = this.#models.get(key);
    if (!record || record.deleted) throw new SchedulerError('NOT_FOUND', `model ${name} not found`);
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    const latest = record.versions.at(-1)!;
    this.#setState(latest, 'ModelTerminating', '');
    this.emit({ kind: 'model', record });
    const server = this.#serverOf(latest);
    this.options.registry.unload({ namespace, name });
    if (server) {
      for (const replica of latest.replicas.keys()) this.options.log?.(server.definition, replica, `Unloaded model ${name}_${latest.version}`);
      for (const loaded of server.loaded) loaded.delete(key);
      this.emit({ kind: 'server', record: server, deleted: false });
    }
    this.#setState(latest, 'ModelTerminated', '');
    latest.availableReplicas = 0;
    record.deleted = true;
    this.#models.delete(key);
    this.emit({ kind: 'model', record });
    this.#dependentsChanged(namespace);
  }

  model(namespace: string, name: string): ModelStatusRecord | undefined {
    return this.#models.get(keyOf(namespace, name));
  }

  models(namespace?: string): ModelStatusRecord[] {
    return [...this.#models.values()].filter((m) => namespace === undefined || m.namespace === namespace);
  }

  /** The latest version of the model, when it serves. */
  available(namespace: string, name: string): ModelVersionStatus | undefined {
    const latest = this.model(namespace, name)?.versions.at(-1);
    return latest?.state === 'ModelAvailable' ? latest : undefined;
  }

  /** What an available model's artefact holds (its tensors), for the pipeline checks. */
  artefact(namespace: string, name: string): ModelArtefact | undefined {
    const latest = this.available(namespace, name);
    return latest && this.options.registry.artefact(latest.definition.uri);
  }

  // ---- Servers ----

  /** Adds or changes a Server (the operator's ServerNotify); models that could not be placed try again. */
  upsertServer(definition: ServerDefinition): void {
    const key = keyOf(definition.namespace, definition.name);
    const current = this.#servers.get(key);
    const loaded = Array.from({ length: definition.replicas }, (_, i) => current?.loaded[i] ?? new Map<string, number>());
    const record: ServerStatusRecord = { definition, loaded };
    this.#servers.set(key, record);
    this.emit({ kind: 'server', record, deleted: false });
    this.#retryFailed();
  }

  removeServer(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const record = this.#servers.get(key);
    if (!record) return;
    this.#servers.delete(key);
    this.emit({ kind: 'server', record, deleted: true });
    // Its models look for another home, as Seldon reschedules a drained server's models.
    for (const model of this.#models.values()) {
      const latest = model.versions.at(-1);
      if (latest && latest.serverName === name && model.namespace === namespace) {
        this.options.registry.unload({ namespace: model.namespace, name: model.name });
        this.#schedule(model, latest);
      }
    }
  }

  servers(namespace?: string): ServerStatusRecord[] {
    return [...this.#servers.values()].filter((s) => namespace === undefined || s.definition.namespace === namespace);
  }

  /** Stops every timer; nothing is emitted afterwards. */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#listeners.clear();
  }

  emit(event: SchedulerEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  // ---- internals ----

  /** Servers a model of `namespace` may use: its own namespace's, else the shared ones. */
  #candidates(namespace: string): ServerStatusRecord[] {
    const own = this.servers(namespace);
    return own.length > 0 || namespace === SHARED_NAMESPACE ? own : this.servers(SHARED_NAMESPACE);
  }

  #serverOf(version: ModelVersionStatus): ServerStatusRecord | undefined {
    const { namespace } = version.definition;
    return this.#candidates(namespace).find((s) => s.definition.name === version.serverName);
  }

  #schedule(record: ModelStatusRecord, version: ModelVersionStatus): void {
    const key = keyOf(record.namespace, record.name);
    clearTimeout(this.#timers.get(key));
    const placement = place(version.definition, this.#candidates(record.namespace));
    if (!placement.ok) {
      version.serverName = '';
      version.replicas.clear();
      this.#setState(version, 'ScheduleFailed', placement.reason);
      this.emit({ kind: 'model', record });
      return;
    }
    const { server, replicas } = placement;
    for (const loaded of server.loaded) loaded.delete(key);
    for (const i of replicas) server.loaded[i]?.set(key, version.definition.memoryBytes ?? 0);
    version.serverName = server.definition.name;
    version.replicas = new Map(replicas.map((i) => [i, { state: 'LoadRequested', reason: '', lastChangeTimestamp: this.now() }]));
    version.unavailableReplicas = replicas.length;
    this.#setState(version, 'ModelProgressing', '');
    this.emit({ kind: 'model', record });
    this.emit({ kind: 'server', record: server, deleted: false });
    this.#timers.set(key, setTimeout(() => void this.#load(record, version, server), this.options.loadDelayMs));
  }

  async #load(record: ModelStatusRecord, version: ModelVersionStatus, server: ServerStatusRecord): Promise<void> {
    const key = keyOf(record.namespace, record.name);
    this.#timers.delete(key);
    const { definition } = version;
    const served = `${definition.name}_${version.version}`;
    let failure: string | undefined;
    try {
      await this.options.registry.load({
        namespace: record.namespace,
        name: record.name,
        version: version.version,
        storageUri: definition.uri,
        server: server.definition.name,
      });
    } catch (error) {
      failure = error instanceof ModelLoadError || error instanceof Error ? error.message : String(error);
    }
    // Unloaded or replaced while loading: the newer request owns the model now.
    if (this.#models.get(key) !== record || record.versions.at(-1) !== version) return;
    const at = this.now();
    for (const [i, replica] of version.replicas) {
      Object.assign(replica, failure ? { state: 'LoadFailed', reason: failure } : { state: 'Available', reason: '' }, { lastChangeTimestamp: at });
      this.options.log?.(server.definition, i, failure ? `Failed to load model ${served}: ${failure}` : `Loaded model ${served} from ${definition.uri}`);
    }
    if (failure) {
      for (const loaded of server.loaded) loaded.delete(key);
      version.availableReplicas = 0;
      version.unavailableReplicas = version.replicas.size;
      this.#setState(version, 'ModelFailed', failure);
    } else {
      version.availableReplicas = version.replicas.size;
      version.unavailableReplicas = 0;
      this.#setState(version, 'ModelAvailable', '');
      // The older versions stop serving once the new one does.
      record.versions = [version];
    }
    this.emit({ kind: 'model', record });
    this.emit({ kind: 'server', record: server, deleted: false });
    this.#dependentsChanged(record.namespace);
  }

  #setState(version: ModelVersionStatus, state: ModelState, reason: string): void {
    if (version.state !== state || version.reason !== reason) version.lastChangeTimestamp = this.now();
    version.state = state;
    version.reason = reason;
  }

  #retryFailed(): void {
    for (const record of this.#models.values()) {
      const latest = record.versions.at(-1);
      if (latest?.state === 'ScheduleFailed') this.#schedule(record, latest);
    }
  }

  #dependentsChanged(namespace: string): void {
    this.pipelines.refresh(namespace);
    this.experiments.refresh(namespace);
  }
}

/** Two definitions that would load the same thing (Kubernetes bookkeeping aside). */
function sameSpec(a: ModelDefinition, b: ModelDefinition): boolean {
  const { kubernetesMeta: _a, ...left } = a;
  const { kubernetesMeta: _b, ...right } = b;
  return isDeepStrictEqual(left, right);
}
