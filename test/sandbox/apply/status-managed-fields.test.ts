/**
 * managedFields of writes to the status subresource: the API server records them as an Update entry with
 * `subresource: status`, owning only status fields, beside the main resource's entries.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandbox } from '../helpers.js';

let sb: TestSandbox;
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments/web';
type Entry = { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await sb?.stop();
});

needs('kubectl 1.32').test('kubectl patch --subresource=status records a kubectl-patch Update entry for the status', async () => {
  expect((await sb.kubectl(['create', 'deployment', 'web', '--image=nginx'])).code).toBe(0);
  const patched = await sb.kubectl(['patch', 'deploy', 'web', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3}}']);
  expect(patched.stdout).toBe('deployment.apps/web patched\n');
  const got = await request(sb, 'GET', DEPLOY);
  expect(got.json.status.replicas).toBe(3);
  const entries = got.json.metadata.managedFields as Entry[];
  expect(entries.map((e) => [e.manager, e.operation, e.subresource ?? ''])).toEqual([
    ['kubectl-create', 'Update', ''],
    ['kubectl-patch', 'Update', 'status'],
  ]);
  const status = entries[1]!;
  expect(Object.keys(status.fieldsV1)).toEqual(['f:status']);
  expect(status.fieldsV1['f:status']).toHaveProperty('f:replicas');
  // The main resource's entry never lists status fields.
  expect(entries[0]!.fieldsV1).not.toHaveProperty('f:status');
});

test('a PUT to /status keeps the stored metadata but the managedFields it recorded', async () => {
  const current = (await request(sb, 'GET', DEPLOY)).json;
  const body = { ...current, metadata: { ...current.metadata, labels: { changed: 'no' } }, status: { replicas: 3, readyReplicas: 2 } };
  const put = await request(sb, 'PUT', `${DEPLOY}/status?fieldManager=rollout-watcher`, { body });
  expect(put.status).toBe(200);
  // Labels are the main resource's: a status write cannot change them.
  expect(put.json.metadata.labels).toEqual({ app: 'web' });
  const entry = (put.json.metadata.managedFields as Entry[]).find((e) => e.manager === 'rollout-watcher');
  expect(entry).toMatchObject({ operation: 'Update', subresource: 'status' });
  expect(entry!.fieldsV1['f:status']).toHaveProperty('f:readyReplicas');
});
