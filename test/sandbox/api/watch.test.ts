import { afterEach, describe, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import { request, startTestSandbox, watch } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

const CMS = '/api/v1/namespaces/default/configmaps';

function cm(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { v: '1' } };
}

describe('WATCH', () => {
  let sb: TestSandbox | undefined;
  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
  });

  test('without a resourceVersion starts with the current objects, then streams changes', async () => {
    sb = await startTestSandbox();
    await request(sb, 'POST', CMS, { body: cm('before') });
    // kube-root-ca.crt, which every namespace holds, is left out: this is about the test's own objects.
    const w = await watch(sb, `${CMS}?watch=true&fieldSelector=metadata.name!%3Dkube-root-ca.crt`);
    expect(w.status).toBe(200);
    await w.waitFor(1);
    await request(sb, 'POST', CMS, { body: cm('after') });
    await request(sb, 'PATCH', `${CMS}/after`, { body: { data: { v: '2' } }, contentType: 'application/merge-patch+json' });
    await request(sb, 'DELETE', `${CMS}/after`);
    await w.waitFor(4);
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED before', 'ADDED after', 'MODIFIED after', 'DELETED after']);
    expect(w.events[2]!.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { v: '2' } });
    w.close();
  });

  test('from resourceVersion X replays exactly the changes after X; an expired X gets 410 Expired', async () => {
    sb = await startTestSandbox({}, { historyLimit: 5 });
    const first = (await request(sb, 'POST', CMS, { body: cm('a') })).json;
    await request(sb, 'POST', CMS, { body: cm('b') });
    await request(sb, 'POST', CMS, { body: cm('c') });
    const resumed = await watch(sb, `${CMS}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    await resumed.waitFor(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(resumed.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'ADDED c']);
    resumed.close();

    for (const name of ['d', 'e', 'f', 'g', 'h']) await request(sb, 'POST', CMS, { body: cm(name) });
    const expired = await watch(sb, `${CMS}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    await expired.ended;
    expect(expired.events).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired', message: expect.stringContaining('too old resource version') }) },
    ]);
  });

  test('a label selector turns objects leaving and entering it into DELETED and ADDED', async () => {
    sb = await startTestSandbox();
    const w = await watch(sb, `${CMS}?watch=true&labelSelector=tier%3Dweb`);
    await request(sb, 'POST', CMS, { body: cm('x', { tier: 'db' }) });
    await request(sb, 'PATCH', `${CMS}/x`, { body: { metadata: { labels: { tier: 'web' } } }, contentType: 'application/merge-patch+json' });
    await request(sb, 'PATCH', `${CMS}/x`, { body: { metadata: { labels: { tier: 'db' } } }, contentType: 'application/merge-patch+json' });
    await w.waitFor(2);
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    w.close();
  });

  test('ends after timeoutSeconds and sends bookmarks when allowed', async () => {
    sb = await startTestSandbox({}, { bookmarkIntervalMs: 100 });
    const started = Date.now();
    const w = await watch(sb, `${CMS}?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=0`);
    await w.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(3000);
    const bookmarks = w.events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThanOrEqual(3);
    expect(bookmarks[0]!.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
  });

  test('controller status writes reach a Model watch, as kubectl wait needs', async () => {
    sb = await startTestSandbox({ loadDelayMs: 50 });
    const path = '/apis/mlops.seldon.io/v1alpha1/namespaces/seldon-mesh/models';
    const w = await watch(sb, `${path}?watch=true&fieldSelector=metadata.name%3Diris`);
    await request(sb, 'POST', path, { body: { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name: 'iris' }, spec: { storageUri: 'gs://seldon-models/mlserver/iris' } } });
    // ADDED, the finalizer, then the status.
    await w.waitFor(3);
    expect(w.events[1]).toMatchObject({ type: 'MODIFIED', object: { metadata: { finalizers: ['seldon.model.finalizer'] } } });
    await expect.poll(() => w.events.some((e) => e.object.status?.availableReplicas === 1), { timeout: 3000 }).toBe(true);
    expect(w.events.find((e) => e.object.status?.availableReplicas === 1)).toMatchObject({
      type: 'MODIFIED',
      object: {
        status: {
          conditions: [
            { type: 'ModelReady', status: 'True', message: 'ModelAvailable' },
            { type: 'Ready', status: 'True', lastTransitionTime: expect.stringMatching(/Z$/) },
          ],
          replicas: 1,
          availableReplicas: 1,
        },
      },
    });
    w.close();
  });
});

describe('faults', () => {
  let sb: TestSandbox | undefined;
  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
  });

  test('faultApiErrorRate answers that share of non-watch requests with 500 or 429, deterministically', async () => {
    const codes = async () => {
      sb = await startTestSandbox({ faultApiErrorRate: 0.5 }, { faultSeed: 7 });
      const out: { status: number; retryAfter?: string; reason?: string }[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await request(sb, 'GET', '/api/v1/namespaces');
        out.push({ status: r.status, retryAfter: r.headers['retry-after'] as string | undefined, reason: r.json.reason });
      }
      await sb.stop();
      sb = undefined;
      return out;
    };
    const first = await codes();
    const failed = first.filter((r) => r.status !== 200);
    expect(failed.length).toBeGreaterThan(8);
    expect(failed.length).toBeLessThan(32);
    expect(new Set(failed.map((r) => r.status))).toEqual(new Set([500, 429]));
    for (const r of failed.filter((f) => f.status === 429)) expect(['0', '1']).toContain(r.retryAfter);
    expect(failed.find((r) => r.status === 500)?.reason).toBe('InternalError');
    expect(await codes()).toEqual(first);
  });

  test('watches are exempt from error faults; faultWatchDropMs ends every watch', async () => {
    sb = await startTestSandbox({ faultApiErrorRate: 1, faultWatchDropMs: 300 });
    expect((await request(sb, 'GET', CMS)).status).toBeGreaterThanOrEqual(429);
    const started = Date.now();
    const w = await watch(sb, `${CMS}?watch=true`);
    expect(w.status).toBe(200);
    await w.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  needs('kubectl 1.32').test('kubectl wait survives dropped watches', async () => {
    sb = await startTestSandbox({ faultWatchDropMs: 200, loadDelayMs: 1200 });
    await sb.kubectl(['apply', '-f', '-'], 'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata: {name: iris, namespace: seldon-mesh}\nspec: {storageUri: gs://seldon-models/mlserver/iris}\n');
    const waited = await sb.kubectl(['wait', '--for', 'condition=ready', '--timeout=20s', 'model/iris', '-n', 'seldon-mesh']);
    expect(waited).toMatchObject({ code: 0, stdout: 'model.mlops.seldon.io/iris condition met\n' });
  });
});
