import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

const MODELS = '/apis/mlops.seldon.io/v1alpha1/namespaces/seldon-mesh/models';
const CMS = '/api/v1/namespaces/default/configmaps';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      },
    ],
  },
};

function widget(name: string) {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 'small' } };
}

function model(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name, labels }, spec: { storageUri: 'gs://seldon-models/mlserver/iris' } };
}

describe('sandbox API over HTTPS', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ loadDelayMs: 10_000 });
  });
  afterAll(async () => {
    await sb.stop();
  });

  test('requires the bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const r = await request(sb, 'GET', '/api/v1/namespaces', { token });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
    expect((await request(sb, 'GET', '/api/v1/namespaces')).status).toBe(200);
    expect((await request(sb, 'GET', '/healthz', { token: null })).text).toBe('ok');
  });

  test('discovery and OpenAPI describe the served kinds', async () => {
    const groups = (await request(sb, 'GET', '/apis')).json;
    const istio = groups.groups.find((g: { name: string }) => g.name === 'networking.istio.io');
    expect(istio.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1beta1', 'v1alpha3']);
    const seldon = (await request(sb, 'GET', '/apis/mlops.seldon.io/v1alpha1')).json;
    // Sorted by name, subresources included, as the API server lists a group-version.
    expect(seldon.resources.map((r: { name: string }) => r.name)).toEqual([
      'experiments',
      'experiments/status',
      'models',
      'models/scale',
      'models/status',
      'pipelines',
      'pipelines/status',
      'seldonruntimes',
      'seldonruntimes/status',
      'servers',
      'servers/scale',
      'servers/status',
    ]);
    expect(seldon.resources.find((r: { name: string }) => r.name === 'models')).toMatchObject({ singularName: 'model', namespaced: true, kind: 'Model', shortNames: ['mlm'] });
    const core = (await request(sb, 'GET', '/api/v1')).json;
    expect(core.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['namespaces', 'services', 'configmaps', 'secrets', 'events']));
    // Namespaces: no deletecollection, and the finalize subresource; the review groups kubectl auth needs are listed.
    const byName = (name: string) => core.resources.find((r: { name: string }) => r.name === name);
    expect(byName('namespaces').verbs).not.toContain('deletecollection');
    expect(byName('namespaces/finalize')).toMatchObject({ kind: 'Namespace', verbs: ['update'] });
    const served = (await request(sb, 'GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
    expect(served).toEqual(expect.arrayContaining(['authorization.k8s.io', 'authentication.k8s.io']));
    const authz = (await request(sb, 'GET', '/apis/authorization.k8s.io/v1')).json.resources;
    expect(authz.find((r: { name: string }) => r.name === 'selfsubjectaccessreviews')).toMatchObject({ kind: 'SelfSubjectAccessReview', verbs: ['create'] });
    // Served since the schema table (test/sandbox/schema/openapi.test.ts); JSON to clients that accept only JSON.
    expect((await request(sb, 'GET', '/openapi/v2')).json.swagger).toBe('2.0');
    const index = (await request(sb, 'GET', '/openapi/v3')).json;
    const url = index.paths['apis/mlops.seldon.io/v1alpha1'].serverRelativeURL as string;
    const doc = (await request(sb, 'GET', url)).json;
    const op = doc.paths['/apis/mlops.seldon.io/v1alpha1/namespaces/{namespace}/models/{name}'].patch;
    expect(op['x-kubernetes-group-version-kind']).toEqual({ group: 'mlops.seldon.io', version: 'v1alpha1', kind: 'Model' });
    expect(op.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect((await request(sb, 'GET', '/version')).json.minor).toBe('32');
  });

  test('errors are Status objects with kubectl-shaped messages and the right codes', async () => {
    const missing = await request(sb, 'GET', `${MODELS}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ reason: 'NotFound', message: 'models.mlops.seldon.io "nope" not found', details: { name: 'nope', kind: 'models' } });
    // Byte for byte, in the API server's field order: kubectl reads this text.
    expect(missing.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"models.mlops.seldon.io \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","group":"mlops.seldon.io","kind":"models"},"code":404}',
    );
    expect((await request(sb, 'POST', MODELS, { body: model('dup') })).status).toBe(201);
    const dup = await request(sb, 'POST', MODELS, { body: model('dup') });
    expect(dup.json).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'models.mlops.seldon.io "dup" already exists' });
    const nameless = await request(sb, 'POST', MODELS, { body: { ...model('x'), metadata: {} } });
    expect(nameless.json).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(nameless.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Model.mlops.seldon.io \\"\\" is invalid: metadata.name: Required value: name or generateName is required","reason":"Invalid","details":{"name":"","group":"mlops.seldon.io","kind":"Model","causes":[{"reason":"FieldValueInvalid","message":"Required value: name or generateName is required","field":"metadata.name"}]},"code":422}',
    );
    const notJson = await request(sb, 'POST', MODELS, { body: '{not json' });
    expect(notJson.json).toMatchObject({ code: 400, reason: 'BadRequest' });
    // No details key at all when the failure is not about an object (the message quotes Node's JSON error).
    const { message } = notJson.json as { message: string };
    expect(notJson.text).toBe(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 }));
    expect((await request(sb, 'PUT', MODELS, { body: model('dup') })).json).toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
    const strategic = await request(sb, 'PATCH', `${MODELS}/dup`, { body: { spec: {} }, contentType: 'application/strategic-merge-patch+json' });
    expect(strategic.json).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    const wrongNs = await request(sb, 'POST', '/apis/mlops.seldon.io/v1alpha1/namespaces/nowhere/models', { body: model('a') });
    expect(wrongNs.json).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
    expect((await request(sb, 'GET', '/apis/mlops.seldon.io/v1alpha1/gadgets')).status).toBe(404);
  });

  test('PUT checks the resourceVersion; generation moves with the spec only; status goes through its subresource', async () => {
    // A kind no controller writes to (the Seldon operator adds finalizers and status to Models).
    const crd = await request(sb, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: WIDGET_CRD });
    expect(crd.status).toBe(201);
    const created = (await request(sb, 'POST', WIDGETS, { body: widget('gen') })).json;
    expect(created.metadata).toMatchObject({ generation: 1, uid: expect.any(String), creationTimestamp: expect.stringMatching(/Z$/) });
    const withLabel = { ...created, metadata: { ...created.metadata, labels: { a: 'b' } }, status: { replicas: 9 } };
    const relabelled = (await request(sb, 'PUT', `${WIDGETS}/gen`, { body: withLabel })).json;
    expect(relabelled.metadata.generation).toBe(1);
    expect(relabelled.status).toBeUndefined();
    expect(Number(relabelled.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await request(sb, 'PUT', `${WIDGETS}/gen`, { body: created });
    expect(stale.json).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.json.message).toContain('the object has been modified');
    const respec = (await request(sb, 'PATCH', `${WIDGETS}/gen`, { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' })).json;
    expect(respec.metadata.generation).toBe(2);
    const status = (await request(sb, 'PATCH', `${WIDGETS}/gen/status`, { body: { status: { replicas: 2 }, spec: { replicas: 7 } }, contentType: 'application/merge-patch+json' })).json;
    expect(status).toMatchObject({ status: { replicas: 2 }, spec: { replicas: 2 }, metadata: { generation: 2 } });
    const scale = (await request(sb, 'GET', `${WIDGETS}/gen/scale`)).json;
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2 } });
    await request(sb, 'PATCH', `${WIDGETS}/gen/scale`, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' });
    expect((await request(sb, 'GET', `${WIDGETS}/gen`)).json.spec.replicas).toBe(3);
    const jsonPatched = await request(sb, 'PATCH', `${WIDGETS}/gen`, {
      body: [{ op: 'test', path: '/spec/replicas', value: 3 }, { op: 'replace', path: '/spec/replicas', value: 4 }],
      contentType: 'application/json-patch+json',
    });
    expect(jsonPatched.json.spec.replicas).toBe(4);
    const failedTest = await request(sb, 'PATCH', `${WIDGETS}/gen`, { body: [{ op: 'test', path: '/spec/replicas', value: 1 }], contentType: 'application/json-patch+json' });
    expect(failedTest.json).toMatchObject({ code: 422 });
    const deleted = await request(sb, 'DELETE', `${WIDGETS}/gen`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
    expect(deleted.json).toMatchObject({ kind: 'Widget', metadata: { name: 'gen' } });
    expect((await request(sb, 'GET', `${WIDGETS}/gen`)).status).toBe(404);
  });

  test('LIST honours label and field selectors, limit and continue', async () => {
    for (const [name, tier] of [['l1', 'web'], ['l2', 'db'], ['l3', 'web']] as const) {
      await request(sb, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { tier } } } });
    }
    await request(sb, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l4' } } });
    // Every namespace also holds kube-root-ca.crt (the root CA publisher's); these checks are about the four above.
    const mine = 'fieldSelector=metadata.name!%3Dkube-root-ca.crt';
    const names = async (query: string) => ((await request(sb, 'GET', `${CMS}?${query}&${mine}`)).json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['l1', 'l3']);
    expect(await names('labelSelector=tier%3D%3Ddb')).toEqual(['l2']);
    expect(await names('labelSelector=tier!%3Dweb')).toEqual(['l2', 'l4']);
    expect(await names('labelSelector=tier%20in%20(db,web)')).toEqual(['l1', 'l2', 'l3']);
    expect(await names('labelSelector=tier%20notin%20(web)')).toEqual(['l2', 'l4']);
    expect(await names('labelSelector=tier')).toEqual(['l1', 'l2', 'l3']);
    expect(await names('labelSelector=!tier')).toEqual(['l4']);
    expect(await names('fieldSelector=metadata.name%3Dl3')).toEqual(['l3']);
    const all = (await request(sb, 'GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault')).json.items;
    expect(all).toHaveLength(5);
    expect((await request(sb, 'GET', `${CMS}?fieldSelector=spec.x%3D1`)).status).toBe(400);
    const page1 = (await request(sb, 'GET', `${CMS}?limit=3&${mine}`)).json;
    expect(page1.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['l1', 'l2', 'l3']);
    expect(page1.metadata.remainingItemCount).toBe(1);
    const page2 = (await request(sb, 'GET', `${CMS}?limit=3&${mine}&continue=${page1.metadata.continue}`)).json;
    expect(page2.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['l4']);
    expect(page2.metadata.continue).toBeUndefined();
  });

  test('strategic merge patch merges Service ports by port', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sm' }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } };
    await request(sb, 'POST', '/api/v1/namespaces/default/services', { body: svc });
    const patched = await request(sb, 'PATCH', '/api/v1/namespaces/default/services/sm', {
      body: { spec: { ports: [{ port: 81, name: 'bb' }, { port: 80, $patch: 'delete' }, { port: 82, name: 'c' }] } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(patched.json.spec.ports.map(({ name, port }: { name: string; port: number }) => ({ name, port }))).toEqual([{ name: 'bb', port: 81 }, { name: 'c', port: 82 }]);
    expect(patched.json.spec.clusterIP).toMatch(/^10\.96\./);
  });

  test('answers Tables to kubectl’s Accept header', async () => {
    const table = await request(sb, 'GET', '/api/v1/namespaces', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(table.json.kind).toBe('Table');
    expect(table.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(table.json.rows[0].cells.slice(0, 2)).toEqual(['default', 'Active']);
  });
});
