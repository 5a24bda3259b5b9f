import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSandbox } from './helpers.js';
import type { TestSandbox } from './helpers.js';

type Model = KubernetesObject & { spec?: { storageUri?: string; replicas?: number; requirements?: string[] }; status?: { conditions?: { type: string; status: string }[] } };

/** @kubernetes/client-node 1.x against the sandbox, through the kubeconfig it wrote. */
describe('@kubernetes/client-node against the sandbox', () => {
  let sb: TestSandbox;
  let kc: KubeConfig;
  beforeAll(async () => {
    sb = await startTestSandbox({ loadDelayMs: 50 });
    kc = new KubeConfig();
    kc.loadFromFile(sb.kubeconfigPath);
  });
  afterAll(async () => {
    await sb.stop();
  });

  test('reads the kubeconfig context and the ingress Service', async () => {
    expect(kc.getCurrentContext()).toBe('runbook-sandbox');
    const core = kc.makeApiClient(CoreV1Api);
    const svc = await core.readNamespacedService({ name: 'istio-ingressgateway', namespace: 'istio-system' });
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toBe(sb.ingressIp);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(['default', 'istio-system', 'kube-node-lease', 'kube-public', 'kube-system', 'seldon-mesh']);
  });

  test('creates, watches until Ready, patches, server-side applies and deletes a Model', async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    const model: Model = { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name: 'iris', namespace: 'seldon-mesh' }, spec: { storageUri: 'gs://seldon-models/mlserver/iris' } };

    const ready = new Promise<Model>((resolve, reject) => {
      void new Watch(kc)
        .watch(
          '/apis/mlops.seldon.io/v1alpha1/namespaces/seldon-mesh/models',
          { fieldSelector: 'metadata.name=iris' },
          (_phase, object: Model) => {
            if (object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) resolve(object);
          },
          (err) => (err ? reject(err as Error) : undefined),
        )
        .then((controller) => ready.finally(() => controller.abort()));
    });
    const created = await api.create(model);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect((await ready).metadata?.name).toBe('iris');

    const patched = await api.patch<Model>(
      { apiVersion: model.apiVersion, kind: 'Model', metadata: { name: 'iris', namespace: 'seldon-mesh' }, spec: { requirements: ['sklearn'] } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(patched.spec).toEqual({ storageUri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] });
    await expect.poll(() => sb.loaded.get('iris'), { timeout: 3000 }).toBe(2);

    const applied = await api.patch<Model>(
      { apiVersion: model.apiVersion, kind: 'Model', metadata: { name: 'applied', namespace: 'seldon-mesh' }, spec: { storageUri: 'gs://seldon-models/mlserver/iris' } },
      undefined,
      undefined,
      'runbook',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.uid).toBeTruthy();

    const listed = await api.list<Model>('mlops.seldon.io/v1alpha1', 'Model', 'seldon-mesh');
    expect(listed.items.map((m) => m.metadata?.name)).toEqual(['applied', 'iris']);
    await api.delete({ apiVersion: model.apiVersion, kind: 'Model', metadata: { name: 'iris', namespace: 'seldon-mesh' } });
    // The delete marks the Model; it goes once the operator has removed Seldon's finalizer.
    const gone = () => api.read({ apiVersion: model.apiVersion, kind: 'Model', metadata: { name: 'iris', namespace: 'seldon-mesh' } }).then(() => 200, (e: { code: number }) => e.code);
    await expect.poll(gone, { timeout: 3000 }).toBe(404);
    expect(sb.loaded.has('iris')).toBe(false);
  });
});
