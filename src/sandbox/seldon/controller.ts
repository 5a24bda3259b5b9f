/**
 * The Seldon Core 2 emulation: watches Models in the store, loads each into the model registry after a delay,
 * and reports the outcome the way Seldon's operator does — status conditions (`ModelReady`, `Ready`), replicas,
 * and a Warning Event on failure. Every write goes through the store, so API watches (kubectl wait) see it.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject, ModelRegistry } from '../types.js';
import { ModelLoadError } from '../types.js';
import type { Store, StoreEvent } from '../store/store.js';
import { timestamp, typeKeyOf } from '../store/store.js';

export const MODEL_GROUP = 'mlops.seldon.io';
export const MODEL_KIND = 'Model';

export interface SeldonControllerOptions {
  store: Store;
  registry: ModelRegistry;
  /** Time between a Model change and its load, in ms. */
  loadDelayMs: number;
  now?: () => Date;
}

export interface SeldonController {
  stop(): void;
}

interface ModelState {
  uid: string;
  /** The generation last scheduled; a change without a new generation is a status write. */
  generation: number;
  /** The version last assigned to a load. */
  version?: number;
  timer?: NodeJS.Timeout;
  /** Increments per load, so a stale load's result is dropped. */
  attempt: number;
  loaded: boolean;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

export function startSeldonController(options: SeldonControllerOptions): SeldonController {
  const { store, registry, loadDelayMs } = options;
  const now = options.now ?? (() => new Date());
  const typeKey = typeKeyOf(MODEL_GROUP, MODEL_KIND);
  const states = new Map<string, ModelState>();
  const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  const modelType = () => store.types.byKind(MODEL_GROUP, MODEL_KIND);

  function onEvent(event: StoreEvent): void {
    if (event.typeKey !== typeKey) return;
    const model = event.object;
    const key = keyOf(model);
    let state = states.get(key);
    if (event.type === 'DELETED') {
      if (!state || state.uid !== model.metadata.uid) return;
      clearTimeout(state.timer);
      states.delete(key);
      if (state.loaded) registry.unload({ namespace: model.metadata.namespace ?? 'default', name: model.metadata.name });
      return;
    }
    const generation = model.metadata.generation ?? 1;
    if (state && state.uid === model.metadata.uid && state.generation === generation) return;
    if (!state || state.uid !== model.metadata.uid) {
      if (state) clearTimeout(state.timer);
      state = { uid: model.metadata.uid!, generation, attempt: 0, loaded: false };
      states.set(key, state);
    }
    state.generation = generation;
    clearTimeout(state.timer);
    const scheduled = state;
    scheduled.timer = setTimeout(() => void load(key, scheduled), loadDelayMs);
  }

  async function load(key: string, state: ModelState): Promise<void> {
    state.timer = undefined;
    const type = modelType();
    const [namespace, name] = key.split('/') as [string, string];
    const model = type && store.find(type, namespace, name);
    if (!type || !model || model.metadata.uid !== state.uid) return;
    const version = state.version === undefined ? Math.max(1, model.metadata.generation ?? 1) : state.version + 1;
    state.version = version;
    const attempt = ++state.attempt;
    const storageUri = String(model.spec?.storageUri ?? '');
    let failure: ModelLoadError | undefined;
    try {
      await registry.load({ namespace, name, version, storageUri, server: 'mlserver' });
    } catch (error) {
      failure = error instanceof ModelLoadError ? error : new ModelLoadError('ModelFailed', (error as Error).message);
    }
    const stillWanted = states.get(key) === state && state.attempt === attempt;
    if (!failure) state.loaded = true;
    if (!stillWanted) {
      // Deleted while loading: nobody else will unload it.
      if (!failure && !states.has(key)) registry.unload({ namespace, name });
      return;
    }
    writeStatus(namespace, name, state, failure);
    if (failure) recordEvent(namespace, name, failure);
  }

  function writeStatus(namespace: string, name: string, state: ModelState, failure?: ModelLoadError): void {
    const type = modelType();
    const current = type && store.find(type, namespace, name);
    if (!type || !current || current.metadata.uid !== state.uid) return;
    const previous = ((current.status?.conditions ?? []) as Condition[]).reduce<Record<string, Condition>>((acc, c) => ({ ...acc, [c.type]: c }), {});
    const condition = (type: string, status: Condition['status'], extra: Partial<Condition>): Condition => ({
      type,
      status,
      ...extra,
      // The transition time moves only when the status does.
      lastTransitionTime: previous[type]?.status === status ? previous[type].lastTransitionTime : timestamp(now()),
    });
    const replicas = typeof current.spec?.replicas === 'number' ? current.spec.replicas : 1;
    const status = failure
      ? {
          conditions: [
            condition('ModelReady', 'False', { reason: failure.reason, message: failure.message }),
            condition('Ready', 'False', { reason: failure.reason, message: failure.message }),
          ],
          replicas,
          availableReplicas: 0,
        }
      : {
          conditions: [condition('ModelReady', 'True', { reason: 'ModelAvailable', message: 'ModelAvailable' }), condition('Ready', 'True', {})],
          replicas,
          availableReplicas: replicas,
          selector: 'server=mlserver',
        };
    store.update(type, { ...current, status }, { subresource: 'status' });
  }

  function recordEvent(namespace: string, name: string, failure: ModelLoadError): void {
    const type = modelType();
    const model = type && store.find(type, namespace, name);
    const eventType = store.types.byKind('', 'Event');
    if (!model || !eventType) return;
    const at = timestamp(now());
    store.create(eventType, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: model.apiVersion,
        kind: MODEL_KIND,
        name,
        namespace,
        uid: model.metadata.uid,
        resourceVersion: model.metadata.resourceVersion,
      },
      reason: failure.reason,
      message: failure.message,
      type: 'Warning',
      source: { component: 'seldon-controller' },
      reportingComponent: 'seldon-controller',
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
  }

  const unsubscribe = store.onChange(onEvent);
  const type = modelType();
  if (type) for (const model of store.select(type)) onEvent({ type: 'ADDED', object: model, resourceVersion: 0, typeKey });

  return {
    stop() {
      unsubscribe();
      for (const state of states.values()) clearTimeout(state.timer);
      states.clear();
    },
  };
}
