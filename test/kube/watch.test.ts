import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../steps/apply.js';
import { kubeTarget } from '../../src/kube/access.js';
import { conditionMet } from '../../src/kube/conditions.js';
import { untilObject } from '../../src/kube/watch.js';
import { startHarness, type Harness } from './harness.js';

describe('untilObject against a server that drops watches and forgets history', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ faultWatchDropMs: 40 }, { historyLimit: 2, bookmarkIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('re-watches after drops, relists on 410 Expired, and still sees the transition', async () => {
    const ctx = h.ctx();
    const run = (text: string) => apply.run({ source: { type: 'stdin', text }, serverSide: false }, ctx);
    await run('apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata: {name: slow, namespace: seldon-mesh}\nspec: {storageUri: gs://unknown/x}\n');
    const { client } = await kubeTarget({}, ctx);
    const requests: string[] = [];
    const done = untilObject(client, '/apis/mlops.seldon.io/v1alpha1/namespaces/seldon-mesh/models', 'slow', {
      signal: AbortSignal.timeout(10_000),
      onRequest: (kind) => requests.push(kind),
      check: (object) => (object && conditionMet(object, 'Ready', 'True') ? { done: true, value: object } : { done: false }),
    });
    // Unrelated changes move the server's history past the version the watch resumes from.
    for (let i = 0; i < 8; i++) {
      expect((await run(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: churn, namespace: default}\ndata: {i: "${i}"}\n`)).exitCode).toBe(0);
      await new Promise((r) => setTimeout(r, 30));
    }
    await client.requestOk('PATCH', '/apis/mlops.seldon.io/v1alpha1/namespaces/seldon-mesh/models/slow/status', {
      body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      contentType: 'application/merge-patch+json',
    });
    const object = await done;
    expect(object?.metadata?.name).toBe('slow');
    expect(requests.filter((r) => r === 'watch').length).toBeGreaterThan(3);
    expect(requests.filter((r) => r === 'list').length).toBeGreaterThan(1);
  });
});
