/**
 * The endpointslice and endpoints controllers, end to end: Services with a selector get a slice and an Endpoints
 * that follow the pods, and kubectl's describe, get endpoints and get endpointslices read them as on a cluster.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandboxWithNamespace, until } from '../helpers.js';

let sb: TestSandbox;
const NS = 'ep-test';
const base = `/api/v1/namespaces/${NS}`;
const slices = `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`;

beforeAll(async () => {
  sb = await startTestSandboxWithNamespace(NS);
});
afterAll(async () => {
  await sb?.stop();
});

const sliceOf = async (service: string) => (await request(sb, 'GET', `${slices}?labelSelector=kubernetes.io%2Fservice-name%3D${service}`)).json.items as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any

async function pod(name: string, ip: string, ready: boolean, namespace = NS): Promise<void> {
  const created = await request(sb, 'POST', `/api/v1/namespaces/${namespace}/pods`, {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } },
  });
  expect(created.status).toBe(201);
  const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  const put = await request(sb, 'PUT', `/api/v1/namespaces/${namespace}/pods/${name}/status`, { body: { ...created.json, status } });
  expect(put.status).toBe(200);
}

needs('kubectl 1.32').describe('endpoint controllers', () => {
  test('a Service matching no pod: one empty placeholder slice, an Endpoints without subsets', async () => {
    const svc = await request(sb, 'POST', `${base}/services`, {
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    });
    expect(svc.status).toBe(201);
    const [slice, ...more] = await until(() => sliceOf('web'), (s) => s.length > 0);
    expect(more).toEqual([]);
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.json.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.addressType).toBe('IPv4');
    // Both lists are empty, which the API server answers as null (they went through etcd's protobuf).
    expect(slice.endpoints).toBeNull();
    expect(slice.ports).toBeNull();
    const ep = await sb.kubectl(['get', 'endpoints', 'web', '-n', NS, '--no-headers']);
    expect(ep.stdout).toMatch(/^web\s+<none>\s+\d+s\n$/);
    const got = await sb.kubectl(['get', 'endpointslices', '-n', NS, '--no-headers']);
    expect(got.stdout).toMatch(/^web-\w{5}\s+IPv4\s+<unset>\s+<unset>\s+\d+s\n$/);
  });

  test('ready pods become IP:port endpoints (a named targetPort resolved per pod); not-ready ones are listed but not served', async () => {
    await pod('web-1', '10.244.1.5', true);
    await pod('web-2', '10.244.1.6', false);
    const [slice] = await until(() => sliceOf('web'), (s) => s[0]?.endpoints?.length === 2);
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e: { addresses: string[]; conditions: { ready: boolean } }) => [e.addresses[0], e.conditions.ready])).toEqual([
      ['10.244.1.5', true],
      ['10.244.1.6', false],
    ]);
    const ep = await request(sb, 'GET', `${base}/endpoints/web`);
    expect(ep.json.subsets).toHaveLength(1);
    expect(ep.json.subsets[0].addresses.map((a: { ip: string }) => a.ip)).toEqual(['10.244.1.5']);
    expect(ep.json.subsets[0].notReadyAddresses.map((a: { ip: string }) => a.ip)).toEqual(['10.244.1.6']);
    const described = await sb.kubectl(['describe', 'svc', 'web', '-n', NS]);
    expect(described.stdout).toContain('Endpoints:                10.244.1.5:8080\n');
    expect((await sb.kubectl(['get', 'ep', 'web', '-n', NS, '--no-headers'])).stdout).toMatch(/^web\s+10\.244\.1\.5:8080\s/);
  });

  test('a deleted Service takes its slice and Endpoints with it; a deleted managed slice is put back', async () => {
    const [slice] = await sliceOf('web');
    expect((await request(sb, 'DELETE', `${slices}/${slice.metadata.name}`)).status).toBe(200);
    const back = await until(() => sliceOf('web'), (s) => s.length === 1 && s[0].metadata.name !== slice.metadata.name);
    expect(back).toHaveLength(1);
    expect(back[0].metadata.name).not.toBe(slice.metadata.name);
    expect((await request(sb, 'DELETE', `${base}/services/web`)).status).toBe(200);
    expect(await until(() => sliceOf('web'), (s) => s.length === 0)).toEqual([]);
    expect((await until(() => request(sb, 'GET', `${base}/endpoints/web`), (r) => r.status === 404)).status).toBe(404);
  });
});

test('past 100 endpoints (the controller\'s max-endpoints-per-slice) a Service gets a second slice', async () => {
  const ns = 'ep-many';
  await request(sb, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  await request(sb, 'POST', `/api/v1/namespaces/${ns}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
  for (let batch = 0; batch < 101; batch += 20) {
    await Promise.all(Array.from({ length: Math.min(20, 101 - batch) }, (_, i) => pod(`web-${batch + i}`, `10.245.0.${batch + i}`, true, ns)));
  }
  const list = async () => (await request(sb, 'GET', `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`)).json.items as { endpoints: unknown[] }[];
  const slices = await until(list, (l) => l.reduce((n, s) => n + s.endpoints.length, 0) === 101);
  expect(slices.map((s) => s.endpoints.length).sort((a, b) => b - a)).toEqual([100, 1]);
});
