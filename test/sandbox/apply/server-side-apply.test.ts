import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { needs } from '../../tools.js';
import { request, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

const deployment = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
${extra}spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

const MODEL = (storageUri: string) => `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: iris
  namespace: default
spec:
  storageUri: ${storageUri}
  requirements: [sklearn]
`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  time: string;
  fieldsV1: Record<string, unknown>;
}

/** Server-side apply with the real kubectl: managedFields per manager, conflicts, --force-conflicts, removal. */
needs('kubectl 1.32').describe('server-side apply and managedFields', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb.stop();
  });

  async function managed(kind: string, name: string): Promise<Entry[]> {
    const r = await sb.kubectl(['get', kind, name, '-o', 'yaml', '--show-managed-fields']);
    expect(r.stderr).toBe('');
    return (parse(r.stdout) as { metadata: { managedFields: Entry[] } }).metadata.managedFields;
  }

  test('create owns what it set; apply --server-side on a changed field conflicts with it; --force-conflicts takes it', async () => {
    expect((await sb.kubectl(['create', '-f', '-'], deployment('web', 1))).stdout).toBe('deployment.apps/web created\n');
    const [created] = await managed('deploy', 'web');
    expect(created).toMatchObject({ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    expect(created!.fieldsV1).toEqual({
      'f:spec': {
        // Defaulted fields belong to the creator too, as on a cluster.
        'f:progressDeadlineSeconds': {},
        'f:replicas': {},
        'f:revisionHistoryLimit': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
              },
            },
          },
        },
      },
    });

    const conflicted = await sb.kubectl(['apply', '--server-side', '-f', '-'], deployment('web', 3));
    expect(conflicted.code).toBe(1);
    expect(conflicted.stderr.split('\n')[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas');
    expect((await sb.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('1');

    // The Status body: 409 Conflict, one cause per field naming the manager as the API server encodes it.
    const raw = await request(sb, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web?fieldManager=robot', {
      body: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 5\n',
      contentType: 'application/apply-patch+yaml',
    });
    expect(raw.status).toBe(409);
    expect(raw.json).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'conflict', message: 'conflict with "{\\"manager\\":\\"kubectl-create\\",\\"operation\\":\\"Update\\",\\"apiVersion\\":\\"apps/v1\\"}": .spec.replicas', field: '.spec.replicas' }] },
    });

    // The same value is no conflict: both managers own it.
    expect((await sb.kubectl(['apply', '--server-side', '-f', '-'], deployment('web', 1))).stdout).toBe('deployment.apps/web serverside-applied\n');
    const forced = await sb.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], deployment('web', 3));
    expect(forced).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
    expect((await sb.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('3');
    const entries = await managed('deploy', 'web');
    expect(entries.map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply', 'kubectl-create/Update']);
    expect((entries[0]!.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toEqual({});
    expect((entries[1]!.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toBeUndefined();
  });

  test('two appliers: the second conflicts on a value the first set, and dropped fields go unless someone else owns them', async () => {
    const labelled = (labels: string, replicas: number) => deployment('shared', replicas, `  labels: {${labels}}\n`);
    expect((await sb.kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], labelled('a: "1", both: "x"', 2))).code).toBe(0);
    const clash = await sb.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], labelled('b: "1", both: "x"', 4));
    expect(clash.stderr.split('\n')[0]).toBe('error: Apply failed with 1 conflict: conflict with "team-a": .spec.replicas');
    expect((await sb.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], labelled('b: "1", both: "x"', 2))).code).toBe(0);
    // team-a drops its label a (gone: only it owned a) and both (kept: team-b owns it too).
    expect((await sb.kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], labelled('', 2))).code).toBe(0);
    const labels = await sb.kubectl(['get', 'deploy', 'shared', '-o', 'jsonpath={.metadata.labels}']);
    expect(JSON.parse(labels.stdout)).toEqual({ b: '1', both: 'x' });
    // A patch (kubectl label) is an Update: its manager owns what it changed, and an apply must not take it silently.
    expect((await sb.kubectl(['label', 'deploy', 'shared', 'owner=ops'])).code).toBe(0);
    const taken = await sb.kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], labelled('owner: dev', 2));
    expect(taken.stderr.split('\n')[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl-label" using apps/v1: .metadata.labels.owner');
  });

  test('re-applying the same configuration is a no-op: same resourceVersion, same manager time', async () => {
    const config = deployment('steady', 2);
    expect((await sb.kubectl(['apply', '--server-side', '-f', '-'], config)).code).toBe(0);
    const read = () => sb.kubectl(['get', 'deploy', 'steady', '-o', 'jsonpath={.metadata.resourceVersion} {.metadata.managedFields[0].time}']);
    const first = (await read()).stdout;
    expect((await sb.kubectl(['apply', '--server-side', '-f', '-'], config)).stdout).toBe('deployment.apps/steady serverside-applied\n');
    expect((await read()).stdout).toBe(first);
  });

  test('a field set by client-side apply conflicts with kubectl-client-side-apply (a Model, a CRD kind)', async () => {
    expect((await sb.kubectl(['apply', '-f', '-'], MODEL('gs://seldon-models/mlserver/iris'))).stdout).toBe('model.mlops.seldon.io/iris created\n');
    const r = await sb.kubectl(['apply', '--server-side', '-f', '-'], MODEL('gs://seldon-models/scv2/samples/mlserver_1.3.5/iris-sklearn'));
    expect(r.stderr.split('\n')[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using mlops.seldon.io/v1alpha1: .spec.storageUri');
    const [csa] = await managed('model', 'iris');
    // A custom resource starts from an empty object, so spec itself was added (".").
    expect(csa!.fieldsV1['f:spec']).toEqual({ '.': {}, 'f:requirements': {}, 'f:storageUri': {} });
  });
});
