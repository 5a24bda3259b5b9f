/**
 * The scale subresource of the apps kinds: an autoscaling/v1 Scale whose selector is the pod selector's string
 * form, written through GET/PUT/PATCH, and printed as printers.go's scale table.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandbox } from '../helpers.js';

let sb: TestSandbox;
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

beforeAll(async () => {
  sb = await startTestSandbox();
  const selector = { matchLabels: { tier: 'web', app: 'shop' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable', 'canary'] }] };
  const labels = { tier: 'web', app: 'shop', track: 'stable' };
  const created = await request(sb, 'POST', DEPLOYS, {
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop' }, spec: { replicas: 2, selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await sb?.stop();
});

test('GET …/scale: the Scale with the selector as a string, requirements sorted by key', async () => {
  const scale = await request(sb, 'GET', `${DEPLOYS}/shop/scale`);
  expect(scale.status).toBe(200);
  expect(scale.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=shop,tier=web,track in (canary,stable)' } });
});

test('PATCH …/scale changes spec.replicas only; a stale resourceVersion in a PUT is a conflict', async () => {
  const patched = await request(sb, 'PATCH', `${DEPLOYS}/shop/scale`, { body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json' });
  expect(patched.status).toBe(200);
  expect(patched.json.spec.replicas).toBe(4);
  expect((await request(sb, 'GET', `${DEPLOYS}/shop`)).json.spec.replicas).toBe(4);
  const stale = await request(sb, 'PUT', `${DEPLOYS}/shop/scale`, { body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'shop', resourceVersion: '1' }, spec: { replicas: 1 } } });
  expect(stale.status).toBe(409);
});

needs('kubectl 1.32').test('kubectl get --subresource=scale prints NAME DESIRED AVAILABLE AGE; kubectl scale works on a StatefulSet', async () => {
  const table = await sb.kubectl(['get', 'deploy', 'shop', '--subresource=scale']);
  expect(table.stdout).toMatch(/^NAME {3}DESIRED {3}AVAILABLE {3}AGE\nshop {3}4 {9}0 {11}\d+s\n$/);
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres}]}\n';
  expect((await sb.kubectl(['apply', '-f', '-'], sts)).code).toBe(0);
  expect((await sb.kubectl(['scale', 'sts', 'db', '--replicas=3'])).stdout).toBe('statefulset.apps/db scaled\n');
  expect((await sb.kubectl(['get', 'sts', 'db', '--subresource=scale', '-o', 'jsonpath={.spec.replicas} {.status.selector}'])).stdout).toBe('3 app=db');
});
