/**
 * Resolving a resource as typed against the sandbox's discovery: a core resource needs only the core group's
 * documents, anything else every group's, and the answers are the ones the full discovery gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Discovery } from '../../src/kube/discovery.js';
import { KubeClient } from '../../src/kube/rest.js';
import { loadKubeAccess } from '../../src/kube/access.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
const clients: KubeClient[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await h.stop();
});

/** A Discovery over a client that records the paths it asks for. */
async function recorded(): Promise<{ discovery: Discovery; paths: string[] }> {
  const client = new KubeClient(await loadKubeAccess({ kubeconfig: h.sandbox.kubeconfigPath }));
  clients.push(client);
  const paths: string[] = [];
  const request = client.request.bind(client);
  client.request = (method, path, options) => {
    paths.push(path);
    return request(method, path, options);
  };
  return { discovery: new Discovery(client), paths };
}

describe('discovery: forResource', () => {
  it('resolves a core short name from the core group alone', async () => {
    const { discovery, paths } = await recorded();
    expect(await discovery.forResource('svc')).toMatchObject({ group: '', version: 'v1', resource: 'services', kind: 'Service' });
    expect(paths.sort()).toEqual(['/api', '/api/v1']);
  });

  it('reads every group for a custom resource, and keeps resolving core names first afterwards', async () => {
    const { discovery, paths } = await recorded();
    expect(await discovery.forResource('model')).toMatchObject({ group: 'mlops.seldon.io', resource: 'models', kind: 'Model' });
    expect(paths).toContain('/apis');
    expect(paths).toContain('/apis/mlops.seldon.io/v1alpha1');
    // The core documents were read once, shared by both lookups.
    expect(paths.filter((p) => p === '/api')).toHaveLength(1);
    expect(await discovery.forResource('Services')).toMatchObject({ group: '', resource: 'services' });
    expect(await discovery.forResource('virtualservices.networking.istio.io')).toMatchObject({ group: 'networking.istio.io', kind: 'VirtualService' });
    expect(await discovery.forResource('nosuchthing')).toBeUndefined();
    expect(paths.filter((p) => p === '/api')).toHaveLength(1);
  });
});
