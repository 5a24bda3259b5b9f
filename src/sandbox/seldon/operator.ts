/**
 * The Seldon operator emulation: it watches Model, Pipeline, Experiment and Server resources and forwards them to
 * the scheduler (the source of truth, as in Seldon Core 2), mirrors the scheduler's reports back into their status,
 * keeps Seldon's finalizers on them (removed once the scheduler has let go), and runs each Server's StatefulSet
 * and Pods. Every write goes through the store, so API watches (kubectl wait) see it.
 *
 * Objects loaded through the scheduler's gRPC API (the `seldon` CLI) have no resource, as in Seldon; only
 * records whose Kubernetes metadata names a namespace are mirrored.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../types.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerEvent } from '../scheduler/types.js';
import { SchedulerError } from '../scheduler/types.js';
import type { PodLogs } from '../store/pod-logs.js';
import type { Store, StoreEvent } from '../store/store.js';
import { timestamp, typeKeyOf } from '../store/store.js';
import { SELDON_GROUP } from './crds/build.js';
import { experimentDefinition, modelDefinition, pipelineDefinition, serverDefinition } from './convert.js';
import { experimentStatus, modelStatus, pipelineStatus, serverStatus, stamped, withReady } from './status.js';
import { removeServerWorkloads, serverContainer, syncServerWorkloads } from './workloads.js';

type SeldonKind = 'Model' | 'Pipeline' | 'Experiment' | 'Server';

/** Seldon's finalizer per kind; Servers have none (their models are rescheduled instead). */
const FINALIZERS: Record<SeldonKind, string | undefined> = {
  Model: 'seldon.model.finalizer',
  Pipeline: 'seldon.pipeline.finalizer',
  Experiment: 'seldon.experiment.finalizer',
  Server: undefined,
};
const KINDS = Object.keys(FINALIZERS) as SeldonKind[];

export interface SeldonOperatorOptions {
  store: Store;
  scheduler: Scheduler;
  logs?: PodLogs;
  now?: () => Date;
}

export interface SeldonOperator {
  /** Appends a line to the log of a server replica's inference-server container. */
  serverLog(server: { namespace: string; name: string }, replica: number, line: string): void;
  stop(): void;
}

export function startSeldonOperator(options: SeldonOperatorOptions): SeldonOperator {
  const { store, scheduler } = options;
  const now = options.now ?? (() => new Date());
  const kindOf = new Map(KINDS.map((k) => [typeKeyOf(SELDON_GROUP, k), k]));
  /** uid → the generation last forwarded to the scheduler. */
  const forwarded = new Map<string, { kind: SeldonKind; namespace: string; name: string; generation: number }>();
  /** Changes wait for a microtask: a store listener must not write while the store notifies. */
  const pendingObjects = new Map<string, { kind: SeldonKind; namespace: string; name: string; uid: string }>();
  const pendingStatus = new Map<string, SchedulerEvent>();
  let flushQueued = false;
  let stopped = false;
  const typeOf = (kind: SeldonKind) => store.types.byKind(SELDON_GROUP, kind);

  function queue(): void {
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(() => {
      flushQueued = false;
      if (stopped) return;
      for (const [key, item] of [...pendingObjects]) {
        pendingObjects.delete(key);
        reconcile(item.kind, item.namespace, item.name, item.uid);
      }
      for (const [key, event] of [...pendingStatus]) {
        pendingStatus.delete(key);
        mirror(event);
      }
    });
  }

  function onStoreEvent(event: StoreEvent): void {
    const kind = kindOf.get(event.typeKey);
    if (!kind) return;
    const { namespace = 'default', name, uid = '' } = event.object.metadata;
    pendingObjects.set(`${kind}/${namespace}/${name}`, { kind, namespace, name, uid });
    queue();
  }

  function onSchedulerEvent(event: SchedulerEvent): void {
    const definition = event.kind === 'model' ? event.record.versions.at(-1)?.definition : event.kind === 'pipeline' ? event.record.versions.at(-1)?.definition : event.record.definition;
    // Only what came from a resource of this namespace (the CLI path has none, or another namespace's copy).
    if (!definition?.kubernetesMeta?.namespace || definition.kubernetesMeta.namespace !== definition.namespace) return;
    pendingStatus.set(`${event.kind}/${definition.namespace}/${definition.name}`, event);
    queue();
  }

  /** Brings the scheduler in line with one resource (created, changed, being deleted, or gone). */
  function reconcile(kind: SeldonKind, namespace: string, name: string, uid: string): void {
    const type = typeOf(kind);
    const object = type && store.find(type, namespace, name);
    const known = forwarded.get(uid);
    if (!type || !object || object.metadata.uid !== uid) {
      if (known) {
        forwarded.delete(uid);
        release(kind, namespace, name);
      }
      return;
    }
    const finalizer = FINALIZERS[kind];
    const finalizers = (object.metadata.finalizers ?? []) as string[];
    if (object.metadata.deletionTimestamp) {
      if (known) forwarded.delete(uid);
      release(kind, namespace, name);
      if (finalizer && finalizers.includes(finalizer)) {
        store.update(type, { ...object, metadata: { ...object.metadata, finalizers: finalizers.filter((f) => f !== finalizer) } });
      }
      return;
    }
    if (finalizer && !finalizers.includes(finalizer)) {
      // The update comes back as a change and is forwarded then.
      store.update(type, { ...object, metadata: { ...object.metadata, finalizers: [...finalizers, finalizer] } });
      return;
    }
    const generation = object.metadata.generation ?? 1;
    if (known?.generation === generation) return;
    forwarded.set(uid, { kind, namespace, name, generation });
    try {
      forward(kind, object);
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      refused(kind, object, error.message);
    }
  }

  function forward(kind: SeldonKind, object: KubeObject): void {
    switch (kind) {
      case 'Model':
        return scheduler.loadModel(modelDefinition(object));
      case 'Pipeline':
        return scheduler.pipelines.load(pipelineDefinition(object));
      case 'Experiment':
        return scheduler.experiments.start(experimentDefinition(object));
      case 'Server':
        syncServerWorkloads(store, object, timestamp(now()));
        return scheduler.upsertServer(serverDefinition(object));
    }
  }

  /** The scheduler lets go of a resource; one it never had is fine. */
  function release(kind: SeldonKind, namespace: string, name: string): void {
    try {
      switch (kind) {
        case 'Model':
          return scheduler.unloadModel(namespace, name);
        case 'Pipeline':
          return scheduler.pipelines.unload(namespace, name);
        case 'Experiment':
          return scheduler.experiments.stop(namespace, name);
        case 'Server':
          removeServerWorkloads(store, namespace, name);
          return scheduler.removeServer(namespace, name);
      }
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
    }
  }

  /** The scheduler refused the resource (Seldon's validation): its ready condition says why. */
  function refused(kind: SeldonKind, object: KubeObject, reason: string): void {
    const type = { Model: 'ModelReady', Pipeline: 'PipelineReady', Experiment: 'ExperimentReady', Server: 'ServerReady' }[kind];
    const failed = { Model: 'ModelFailed', Pipeline: 'PipelineFailed', Experiment: 'ExperimentFailed', Server: 'ServerFailed' }[kind];
    writeStatus(kind, object.metadata.namespace ?? 'default', object.metadata.name, withReady([{ type, status: 'False', reason, message: failed }]), {});
    recordEvent(object, failed, reason);
  }

  function mirror(event: SchedulerEvent): void {
    switch (event.kind) {
      case 'model': {
        const latest = event.record.versions.at(-1);
        if (event.record.deleted || !latest) return;
        const { conditions, fields } = modelStatus(event.record);
        const object = writeStatus('Model', event.record.namespace, event.record.name, conditions, fields, latest.definition.kubernetesMeta?.generation);
        if (object && (latest.state === 'ModelFailed' || latest.state === 'ScheduleFailed')) recordEvent(object, latest.state, latest.reason, `${latest.version}`);
        return;
      }
      case 'pipeline': {
        const latest = event.record.versions.at(-1);
        if (event.deleted || !latest) return;
        writeStatus('Pipeline', event.record.namespace, event.record.name, pipelineStatus(event.record), {}, latest.definition.kubernetesMeta?.generation);
        return;
      }
      case 'experiment':
        if (event.deleted) return;
        writeStatus('Experiment', event.record.definition.namespace, event.record.definition.name, experimentStatus(event.record), {}, event.record.definition.kubernetesMeta?.generation);
        return;
      case 'server': {
        if (event.deleted) return;
        const { conditions, fields } = serverStatus(event.record);
        const { definition } = event.record;
        writeStatus('Server', definition.namespace, definition.name, conditions, fields, definition.kubernetesMeta?.generation);
        return;
      }
    }
  }

  function writeStatus(kind: SeldonKind, namespace: string, name: string, conditions: Parameters<typeof stamped>[0], fields: Record<string, unknown>, generation?: number): KubeObject | undefined {
    const type = typeOf(kind);
    const current = type && store.find(type, namespace, name);
    if (!type || !current) return undefined;
    const status = {
      ...fields,
      conditions: stamped(conditions, current.status?.conditions, timestamp(now())),
      observedGeneration: generation ?? current.metadata.generation ?? 1,
    };
    return store.update(type, { ...current, status }, { subresource: 'status' });
  }

  /** One Warning Event per failure of a version, as `kubectl describe` lists them. */
  const reported = new Set<string>();
  function recordEvent(object: KubeObject, reason: string, message: string, version = ''): void {
    const key = `${object.metadata.uid}/${version}/${reason}/${message}`;
    const eventType = store.types.byKind('', 'Event');
    if (reported.has(key) || !eventType) return;
    reported.add(key);
    const at = timestamp(now());
    const { name, namespace } = object.metadata;
    // An Event the API refuses (its namespace is being terminated) is dropped, as client-go's recorder drops it.
    if (namespace && store.find(store.types.byKind('', 'Namespace')!, undefined, namespace)?.metadata.deletionTimestamp) return;
    store.create(eventType, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name, namespace, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion },
      reason,
      message,
      type: 'Warning',
      source: { component: 'seldon-controller-manager' },
      reportingComponent: 'seldon-controller-manager',
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
  }

  const unsubscribeStore = store.onChange(onStoreEvent);
  const unsubscribeScheduler = scheduler.subscribe(onSchedulerEvent);
  // What exists already (the default Servers) is reconciled now, before the API answers anyone.
  for (const kind of KINDS) {
    const type = typeOf(kind);
    for (const object of type ? store.select(type) : []) reconcile(kind, object.metadata.namespace ?? 'default', object.metadata.name, object.metadata.uid ?? '');
  }

  return {
    serverLog(server, replica, line) {
      const type = typeOf('Server');
      const object = type && store.find(type, server.namespace, server.name);
      const stamp = now().toISOString();
      options.logs?.append(server.namespace, `${server.name}-${replica}`, serverContainer(object?.spec?.serverConfig), `${stamp} ${line}`);
    },
    stop() {
      stopped = true;
      unsubscribeStore();
      unsubscribeScheduler();
    },
  };
}
