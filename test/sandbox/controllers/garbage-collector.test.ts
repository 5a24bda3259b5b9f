/**
 * The garbage collector through the API and kubectl: dependents (ownerReferences) follow their owner's deletion
 * as its propagation policy says.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandboxWithNamespace, until } from '../helpers.js';

let sb: TestSandbox;
const NS = 'gc-test';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;

beforeAll(async () => {
  sb = await startTestSandboxWithNamespace(NS);
});
afterAll(async () => {
  await sb?.stop();
});

/** An owner ConfigMap and one dependent per entry of `dependents` (name → extra metadata); returns the owner's uid. */
async function family(owner: string, dependents: Record<string, Record<string, unknown>>): Promise<string> {
  const created = await request(sb, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: owner } } });
  const uid = created.json.metadata.uid as string;
  for (const [name, extra] of Object.entries(dependents)) {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid, blockOwnerDeletion: true };
    const res = await request(sb, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: [ref], ...extra } } });
    expect(res.status).toBe(201);
  }
  return uid;
}

const status = async (name: string) => (await request(sb, 'GET', `${CMS}/${name}`)).status;

needs('kubectl 1.32').test('kubectl delete (background by default) takes the dependents along', async () => {
  await family('bg', { 'bg-1': {}, 'bg-2': {} });
  expect((await sb.kubectl(['delete', 'cm', 'bg', '-n', NS])).stdout).toBe('configmap "bg" deleted\n');
  expect(await until(() => status('bg-1'), (s) => s === 404)).toBe(404);
  expect(await status('bg-2')).toBe(404);
});

needs('kubectl 1.32').test('--cascade=orphan keeps the dependents and removes the reference to the owner', async () => {
  await family('orph', { 'orph-1': {} });
  expect((await sb.kubectl(['delete', 'cm', 'orph', '-n', NS, '--cascade=orphan'])).stdout).toBe('configmap "orph" deleted\n');
  expect(await status('orph')).toBe(404);
  const kept = await request(sb, 'GET', `${CMS}/orph-1`);
  expect(kept.status).toBe(200);
  expect(kept.json.metadata.ownerReferences).toBeUndefined();
});

test('Foreground: the owner waits, marked and holding foregroundDeletion, until a blocking dependent is gone', async () => {
  await family('fg', { 'fg-1': { finalizers: ['example.com/hold'] } });
  const deleted = await request(sb, 'DELETE', `${CMS}/fg`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' } });
  expect(deleted.status).toBe(200);
  expect(deleted.json.metadata.finalizers).toEqual(['foregroundDeletion']);
  expect(deleted.json.metadata.deletionTimestamp).toBeDefined();
  // The dependent is being deleted (its finalizer holds it), so the owner is still there.
  const dependent = await until(() => request(sb, 'GET', `${CMS}/fg-1`), (r) => r.json.metadata.deletionTimestamp !== undefined);
  expect(dependent.json.metadata.deletionTimestamp).toBeDefined();
  expect(await status('fg')).toBe(200);
  // Releasing the dependent lets both go.
  const patched = await request(sb, 'PATCH', `${CMS}/fg-1`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
  expect(patched.status).toBe(200);
  expect(await until(() => status('fg'), (s) => s === 404)).toBe(404);
  expect(await status('fg-1')).toBe(404);
});

test('a dependent with another owner left only loses the reference to the deleted one', async () => {
  const keep = await request(sb, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keeper' } } });
  const goneUid = await family('leaver', {});
  const refs = [
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'leaver', uid: goneUid },
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: keep.json.metadata.uid },
  ];
  await request(sb, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', ownerReferences: refs } } });
  expect((await request(sb, 'DELETE', `${CMS}/leaver`)).status).toBe(200);
  const shared = await until(() => request(sb, 'GET', `${CMS}/shared`), (r) => r.json.metadata?.ownerReferences?.length === 1);
  expect(shared.status).toBe(200);
  expect(shared.json.metadata.ownerReferences.map((r: { name: string }) => r.name)).toEqual(['keeper']);
});
