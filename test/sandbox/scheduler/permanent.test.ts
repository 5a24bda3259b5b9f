/**
 * The claim the sandbox publishes in its kubeconfig (PERMANENT_STATES): a Model in ModelFailed never becomes
 * available by itself, whatever Servers come and go; only a new version does. ScheduleFailed is not such a state.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { PERMANENT_STATES, Scheduler } from '../../../src/sandbox/scheduler/scheduler.js';
import type { ModelDefinition, ModelState } from '../../../src/sandbox/scheduler/types.js';
import { fakeDataPlane } from './fakes.js';

const GI = 1024 ** 3;
const INCOME = 'gs://seldon-models/scv2/samples/mlserver_1.3.5/income-sklearn/classifier';
const IRIS = 'gs://seldon-models/mlserver/iris';

let scheduler: Scheduler;
/** Every state each model went through, in order. */
let seen: Map<string, ModelState[]>;

beforeEach(() => {
  scheduler = new Scheduler({ ...fakeDataPlane(), loadDelayMs: 5 });
  seen = new Map();
  scheduler.subscribe((event) => {
    if (event.kind !== 'model') return;
    const state = event.record.versions.at(-1)?.state;
    if (state) seen.set(event.record.name, [...(seen.get(event.record.name) ?? []), state]);
  });
  scheduler.upsertServer({ namespace: 'seldon-mesh', name: 'mlserver', capabilities: ['mlserver', 'sklearn'], replicas: 1, memoryBytes: GI });
});
afterEach(() => scheduler.close());

const model = (name: string, uri: string, requirements = ['sklearn']): ModelDefinition => ({
  namespace: 'seldon-mesh',
  name,
  uri,
  requirements,
  replicas: 1,
  minReplicas: 0,
  maxReplicas: 0,
  parameters: [],
});
const state = (name: string) => scheduler.model('seldon-mesh', name)?.versions.at(-1)?.state;

test('a model whose artefact the sandbox cannot serve stays failed as Servers come and go; a new version moves it', async () => {
  expect(PERMANENT_STATES.Model).toEqual(['ModelFailed']);
  scheduler.loadModel(model('income', INCOME));
  await expect.poll(() => state('income')).toBe('ModelFailed');
  // Another Server that could host it, then the one it was on drained: it is placed again and fails again.
  scheduler.upsertServer({ namespace: 'seldon-mesh', name: 'big', capabilities: ['sklearn'], replicas: 2, memoryBytes: 4 * GI });
  scheduler.removeServer('seldon-mesh', 'mlserver');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(state('income')).toBe('ModelFailed');
  expect(seen.get('income')).not.toContain('ModelAvailable');
  // Re-applied with an artefact it has: a new version, which loads.
  scheduler.loadModel(model('income', IRIS));
  await expect.poll(() => state('income')).toBe('ModelAvailable');
  expect(scheduler.model('seldon-mesh', 'income')?.versions.at(-1)?.version).toBe(2);
});

test('ScheduleFailed is not permanent: a Server applied later places the model', async () => {
  expect(PERMANENT_STATES.Model).not.toContain('ScheduleFailed');
  scheduler.loadModel(model('iris', IRIS, ['sklearn', 'gpu']));
  expect(state('iris')).toBe('ScheduleFailed');
  scheduler.upsertServer({ namespace: 'seldon-mesh', name: 'gpu', capabilities: ['sklearn', 'gpu'], replicas: 1, memoryBytes: GI });
  await expect.poll(() => state('iris')).toBe('ModelAvailable');
});
