/** The resourcequota controller's object counts, through kubectl. */
import { afterAll, beforeAll, expect } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandboxWithNamespace, until } from '../helpers.js';

let sb: TestSandbox;
const NS = 'quota-test';

beforeAll(async () => {
  sb = await startTestSandboxWithNamespace(NS);
});
afterAll(async () => {
  await sb?.stop();
});

const statusOf = async (name: string) => (await request(sb, 'GET', `/api/v1/namespaces/${NS}/resourcequotas/${name}`)).json.status;

needs('kubectl 1.32').test('a count quota follows the namespace: hard from the spec, used counted, kube-root-ca.crt included', async () => {
  expect((await sb.kubectl(['create', 'quota', 'counts', '--hard=configmaps=5,count/deployments.apps=2,services=1', '-n', NS])).stdout).toBe('resourcequota/counts created\n');
  expect(await until(() => statusOf('counts'), (s) => s?.used !== undefined)).toEqual({
    hard: { configmaps: '5', 'count/deployments.apps': '2', services: '1' },
    used: { configmaps: '1', 'count/deployments.apps': '0', services: '0' },
  });
  await sb.kubectl(['create', 'configmap', 'extra', '--from-literal=a=b', '-n', NS]);
  await sb.kubectl(['create', 'deployment', 'web', '--image=nginx', '-n', NS]);
  const status = await until(() => statusOf('counts'), (s) => s?.used?.configmaps === '2');
  expect(status.used).toEqual({ configmaps: '2', 'count/deployments.apps': '1', services: '0' });
  const described = await sb.kubectl(['describe', 'quota', 'counts', '-n', NS]);
  expect(described.stdout).toBe(
    `Name:                   counts\nNamespace:              ${NS}\nResource                Used  Hard\n--------                ----  ----\n` +
      'configmaps              2     5\ncount/deployments.apps  1     2\nservices                0     1\n',
  );
});

needs('kubectl 1.32').test('a quota on compute resources gets no made-up usage', async () => {
  await sb.kubectl(['create', 'quota', 'compute', '--hard=cpu=1,pods=2', '-n', NS]);
  // The controller acts within a microtask of the write; a count quota created after it is already counted.
  await sb.kubectl(['create', 'quota', 'later', '--hard=pods=2', '-n', NS]);
  expect(await until(() => statusOf('later'), (s) => s?.used !== undefined)).toEqual({ hard: { pods: '2' }, used: { pods: '0' } });
  expect(await statusOf('compute')).toBeUndefined();
});
