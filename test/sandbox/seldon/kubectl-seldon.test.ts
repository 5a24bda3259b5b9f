import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import { startTestSandbox, type TestSandbox } from '../helpers.js';
import { schedulerClient, type SchedulerClient } from '../scheduler/client.js';

const MODEL = (name: string, extra = '') => `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: ${name}
  namespace: seldon-mesh
spec:
  storageUri: gs://seldon-models/mlserver/iris
  requirements:
  - sklearn
${extra}`;

const PIPELINE = `apiVersion: mlops.seldon.io/v1alpha1
kind: Pipeline
metadata:
  name: chain
  namespace: seldon-mesh
spec:
  steps:
  - name: first
  - name: second
    inputs:
    - first
  output:
    steps:
    - second
`;

const EXPERIMENT = `apiVersion: mlops.seldon.io/v1alpha1
kind: Experiment
metadata:
  name: ab
  namespace: seldon-mesh
spec:
  default: first
  candidates:
  - name: first
    weight: 50
  - name: second
    weight: 50
`;

/** Seldon's resources through the real kubectl 1.32 with default flags. */
needs('kubectl 1.32').describe('kubectl and the Seldon control plane', () => {
  let sb: TestSandbox;
  let client: SchedulerClient;
  beforeAll(async () => {
    sb = await startTestSandbox({ loadDelayMs: 30 });
    client = schedulerClient(`127.0.0.1:${sb.schedulerPort}`);
  });
  afterAll(async () => {
    client.close();
    await sb.stop();
  });

  test('strict field validation rejects a misspelt field with the API server message; explain reads the schemas', async () => {
    const misspelt = MODEL('typo').replace('storageUri', 'storagUri');
    for (const verb of ['apply', 'create']) {
      const r = await sb.kubectl([verb, '-f', '-'], misspelt);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'Error from server (BadRequest): error when creating "STDIN": Model in version "v1alpha1" cannot be handled as a Model: strict decoding error: unknown field "spec.storagUri"\n',
      );
    }
    // Without strict validation the field is pruned, and the required storageUri is missing.
    const lax = await sb.kubectl(['create', '--validate=false', '-f', '-'], misspelt);
    expect(lax.stderr).toBe('The Model "typo" is invalid: spec.storageUri: Required value\n');
    // With warnings only, the server prunes the field and says so.
    const warned = await sb.kubectl(['create', '--validate=warn', '-f', '-'], MODEL('warned', '  replica: 2\n'));
    expect(warned).toMatchObject({ code: 0, stdout: 'model.mlops.seldon.io/warned created\n', stderr: 'Warning: unknown field "spec.replica"\n' });
    expect((await sb.kubectl(['get', 'model', 'warned', '-n', 'seldon-mesh', '-o', 'jsonpath={.spec}'])).stdout).not.toContain('replica"');
    await sb.kubectl(['delete', 'model', 'warned', '-n', 'seldon-mesh']);
    const wrongType = await sb.kubectl(['create', '-f', '-'], MODEL('typed', '  replicas: many\n'));
    expect(wrongType.stderr).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');

    const model = await sb.kubectl(['explain', 'model.spec']);
    expect(model.stdout).toMatch(/FIELD: spec <Object>/);
    expect(model.stdout).toMatch(/storageUri\t<string> -required-/);
    expect(model.stdout).toMatch(/requirements\t<\[\]string>/);
    const steps = await sb.kubectl(['explain', 'pipeline.spec.steps']);
    expect(steps.stdout).toMatch(/FIELD: steps <\[\]Object>/);
    expect(steps.stdout).toMatch(/inputsJoinType\t<string>\n {2}enum: inner, outer, any/);
    expect(steps.stdout).toMatch(/tensorMap\t<map\[string\]string>/);
  });

  test('the Seldon install shows as pods, StatefulSets, Servers and LoadBalancer Services', async () => {
    const pods = await sb.kubectl(['get', 'pods', '-n', 'seldon-mesh']);
    const lines = pods.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.find((l) => l.startsWith('mlserver-0'))).toMatch(/^mlserver-0\s+3\/3\s+Running\s+0\s+\d+s$/);
    for (const name of ['triton-0', 'seldon-scheduler-0', 'seldon-envoy-']) expect(pods.stdout).toContain(name);
    const wide = await sb.kubectl(['get', 'pod', 'triton-0', '-n', 'seldon-mesh', '-o', 'wide']);
    expect(wide.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\ntriton-0\s+3\/3\s+Running\s+0\s+\d+s\s+10\.244\.0\.\d+\s+runbook-sandbox\s+<none>\s+<none>\n$/);
    const described = await sb.kubectl(['describe', 'pod', 'mlserver-0', '-n', 'seldon-mesh']);
    expect(described.stdout).toMatch(/Controlled By:\s+StatefulSet\/mlserver/);
    expect(described.stdout).toMatch(/Status:\s+Running/);
    const servers = await sb.kubectl(['get', 'servers', '-n', 'seldon-mesh']);
    expect(servers.stdout).toMatch(/^NAME\s+READY\s+REPLICAS\s+LOADED MODELS\s+AGE\nmlserver\s+True\s+1\s+0\s+\d+s\ntriton\s+True\s+1\s+0\s+\d+s\n$/);
    const svc = await sb.kubectl(['get', 'svc', '-n', 'seldon-mesh', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.loadBalancer.ingress[0].ip} {end}']);
    expect(svc.stdout).toBe('seldon-mesh=172.21.255.2 seldon-scheduler=172.21.255.3 ');
  });

  test('a Model loads on mlserver: logs say so, the scheduler API shows it with kubernetesMeta, delete waits for the finalizer', async () => {
    expect((await sb.kubectl(['apply', '-f', '-'], MODEL('iris'))).stdout).toBe('model.mlops.seldon.io/iris created\n');
    expect((await sb.kubectl(['wait', '--for', 'condition=Ready', '--timeout=10s', 'model/iris', '-n', 'seldon-mesh'])).stdout).toBe(
      'model.mlops.seldon.io/iris condition met\n',
    );
    const logs = await sb.kubectl(['logs', 'mlserver-0', '-n', 'seldon-mesh']);
    expect(logs).toMatchObject({ code: 0, stderr: '' });
    expect(logs.stdout).toMatch(/^\S+Z Loaded model iris_1 from gs:\/\/seldon-models\/mlserver\/iris$/m);
    expect(logs.stdout.endsWith('\n')).toBe(true);
    const [status] = await client.stream('ModelStatus', { subscriberName: 'test', model: { name: 'iris' } });
    expect(status.versions[0]).toMatchObject({ version: 1, serverName: 'mlserver', kubernetesMeta: { namespace: 'seldon-mesh', generation: '1' }, state: { state: 'ModelAvailable' } });
    expect((await sb.kubectl(['get', 'model', 'iris', '-n', 'seldon-mesh', '-o', 'jsonpath={.metadata.finalizers}'])).stdout).toBe('["seldon.model.finalizer"]');

    // Loaded through the scheduler (the CLI path): no custom resource, as in Seldon.
    await client.unary('LoadModel', { model: { meta: { name: 'cli', kubernetesMeta: {} }, modelSpec: { uri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] }, deploymentSpec: { replicas: 1 } } });
    await expect.poll(async () => (await client.stream('ModelStatus', { model: { name: 'cli' } }))[0].versions[0].state.state, { timeout: 3000 }).toBe('ModelAvailable');
    expect((await sb.kubectl(['get', 'model', 'cli', '-n', 'seldon-mesh'])).stderr).toBe('Error from server (NotFound): models.mlops.seldon.io "cli" not found\n');

    const deleted = await sb.kubectl(['delete', 'model', 'iris', '-n', 'seldon-mesh']);
    expect(deleted).toMatchObject({ code: 0, stdout: 'model.mlops.seldon.io "iris" deleted\n' });
    expect((await sb.kubectl(['get', 'model', 'iris', '-n', 'seldon-mesh'])).code).toBe(1);
    expect((await sb.kubectl(['logs', 'mlserver-0', '-n', 'seldon-mesh', '--tail=1'])).stdout).toMatch(/Unloaded model iris_1\n$/);
    await expect(client.stream('ModelStatus', { model: { name: 'iris' } })).rejects.toThrow('NOT_FOUND');
  });

  test('a Pipeline and an Experiment: wait for Ready, their columns, and a ScheduleFailed model', async () => {
    await sb.kubectl(['apply', '-f', '-'], [MODEL('first'), MODEL('second'), PIPELINE, EXPERIMENT].join('---\n'));
    expect((await sb.kubectl(['wait', '--for', 'condition=Ready', '--timeout=10s', 'pipeline/chain', 'experiment/ab', '-n', 'seldon-mesh'])).stdout).toBe(
      'pipeline.mlops.seldon.io/chain condition met\nexperiment.mlops.seldon.io/ab condition met\n',
    );
    const listed = await sb.kubectl(['get', 'pipelines,experiments', '-n', 'seldon-mesh']);
    expect(listed.stdout).toMatch(/^NAME\s+READY\s+MESSAGE\s+AGE\npipeline\.mlops\.seldon\.io\/chain\s+True\s+\d+s\n/);
    expect(listed.stdout).toMatch(/NAME\s+EXPERIMENT READY\s+MESSAGE\s+AGE\nexperiment\.mlops\.seldon\.io\/ab\s+True\s+\d+s\n$/);
    const [pipeline] = await client.stream('PipelineStatus', { name: 'chain' });
    expect(pipeline.versions[0].pipeline).toMatchObject({ name: 'chain', version: 1, kubernetesMeta: { namespace: 'seldon-mesh' } });

    await sb.kubectl(['apply', '-f', '-'], MODEL('big', '  replicas: 3\n'));
    await expect
      .poll(async () => (await sb.kubectl(['get', 'model', 'big', '-n', 'seldon-mesh', '-o', 'jsonpath={.status.conditions[?(@.type=="ModelReady")].reason}'])).stdout, { timeout: 5000 })
      .toBe('Failed to schedule model as no matching server had enough suitable replicas');
    const cycle = PIPELINE.replace('name: chain', 'name: loop').replace('  - name: first\n', '  - name: first\n    inputs:\n    - second\n');
    await sb.kubectl(['apply', '-f', '-'], cycle);
    await expect
      .poll(async () => (await sb.kubectl(['get', 'pipeline', 'loop', '-n', 'seldon-mesh', '-o', 'jsonpath={.status.conditions[?(@.type=="PipelineReady")].reason}'])).stdout, { timeout: 5000 })
      .toBe('pipeline loop has a cycle');
  });
});
