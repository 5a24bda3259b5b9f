import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../tools.js';
import { SINGLE_MODEL, request, startTestSandbox } from './helpers.js';
import type { TestSandbox } from './helpers.js';

/** The real kubectl 1.32 with default flags against the sandbox, the seed notebook's single-model flow. */
needs('kubectl 1.32').describe('kubectl against the sandbox', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ loadDelayMs: 100 });
  });
  afterAll(async () => {
    await sb.stop();
  });

  test('prints the ingress address of istio-ingressgateway', async () => {
    const r = await sb.kubectl(['get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
    expect(r).toMatchObject({ code: 0, stdout: '172.21.255.1', stderr: '' });
    expect(sb.ingressIp).toBe('172.21.255.1');
  });

  test('apply creates, re-apply is unchanged, an edit is configured; wait and get see the model', async () => {
    const created = await sb.kubectl(['apply', '-f', '-'], SINGLE_MODEL);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe(
      'model.mlops.seldon.io/iris created\ngateway.networking.istio.io/seldon-gateway created\nvirtualservice.networking.istio.io/iris-route created\n',
    );
    const again = await sb.kubectl(['apply', '-f', '-'], SINGLE_MODEL);
    expect(again.stdout).toBe(
      'model.mlops.seldon.io/iris unchanged\ngateway.networking.istio.io/seldon-gateway unchanged\nvirtualservice.networking.istio.io/iris-route unchanged\n',
    );

    const waited = await sb.kubectl(['wait', '--for', 'condition=ready', '--timeout=30s', 'model', '--all', '-n', 'seldon-mesh']);
    expect(waited).toMatchObject({ code: 0, stdout: 'model.mlops.seldon.io/iris condition met\n' });
    expect(sb.loaded.get('iris')).toBe(1);

    const edited = SINGLE_MODEL.replace('name: iris-http', 'name: iris-rest');
    const configured = await sb.kubectl(['apply', '-f', '-'], edited);
    expect(configured.stdout).toBe(
      'model.mlops.seldon.io/iris unchanged\ngateway.networking.istio.io/seldon-gateway unchanged\nvirtualservice.networking.istio.io/iris-route configured\n',
    );
    const route = await sb.kubectl(['get', 'vs', 'iris-route', '-n', 'seldon-mesh', '-o', 'jsonpath={.spec.http[0].name}']);
    expect(route.stdout).toBe('iris-rest');

    const all = await sb.kubectl(['get', 'models', '-A']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+DESIRED REPLICAS\s+AVAILABLE REPLICAS\s+AGE$/);
    expect(all.stdout.split('\n')[1]).toMatch(/^seldon-mesh\s+iris\s+True\s+1\s+1\s+\d+s$/);
    const short = await sb.kubectl(['get', 'mlm', 'iris', '-n', 'seldon-mesh', '-o', 'jsonpath={.status.conditions[?(@.type=="ModelReady")].message}']);
    expect(short.stdout).toBe('ModelAvailable');
  });

  test('a spec change loads the next version', async () => {
    const changed = SINGLE_MODEL.replace('storageUri: gs://seldon-models/mlserver/iris', 'storageUri: gs://seldon-models/scv2/samples/mlserver_1.1.0/iris-sklearn');
    const r = await sb.kubectl(['apply', '-f', '-'], changed);
    expect(r.stdout).toContain('model.mlops.seldon.io/iris configured');
    await expect.poll(() => sb.loaded.get('iris'), { timeout: 3000 }).toBe(2);
  });

  test('delete prints deleted lines and the objects are gone', async () => {
    const deleted = await sb.kubectl(['delete', '-f', '-'], SINGLE_MODEL);
    expect(deleted).toMatchObject({
      code: 0,
      stdout:
        'model.mlops.seldon.io "iris" deleted\ngateway.networking.istio.io "seldon-gateway" deleted\nvirtualservice.networking.istio.io "iris-route" deleted\n',
    });
    expect(sb.loaded.has('iris')).toBe(false);
    const missing = await sb.kubectl(['get', 'model', 'iris', '-n', 'seldon-mesh']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): models.mlops.seldon.io "iris" not found\n');
    const none = await sb.kubectl(['wait', '--for', 'condition=ready', '--timeout=2s', 'model', '--all', '-n', 'seldon-mesh']);
    expect(none.stderr).toBe('error: no matching resources found\n');
  });

  test('a model with an unknown storage URI never becomes ready; wait times out', async () => {
    const bad = SINGLE_MODEL.split('---')[0]!.replace('gs://seldon-models/mlserver/iris', 'gs://nowhere/unknown').replace('name: iris', 'name: broken');
    expect((await sb.kubectl(['apply', '-f', '-'], bad)).stdout).toBe('model.mlops.seldon.io/broken created\n');
    const waited = await sb.kubectl(['wait', '--for', 'condition=ready', '--timeout=2s', 'model', 'broken', '-n', 'seldon-mesh']);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toBe('error: timed out waiting for the condition on models/broken\n');
    // As Seldon's operator writes it: the reason is the scheduler's text, the message the state.
    const status = await sb.kubectl(['get', 'model', 'broken', '-n', 'seldon-mesh', '-o', 'jsonpath={.status.conditions[?(@.type=="ModelReady")].message}: {.status.conditions[?(@.type=="ModelReady")].reason}']);
    expect(status.stdout).toBe('ModelFailed: failed to load model from gs://nowhere/unknown: unknown storage URI');
    const events = await sb.kubectl(['get', 'events', '-n', 'seldon-mesh', '-o', 'jsonpath={.items[*].involvedObject.name}/{.items[*].reason}']);
    expect(events.stdout).toBe('broken/ModelFailed');
    // describe finds the Model's events by field selectors on involvedObject.
    const described = await sb.kubectl(['describe', 'model', 'broken', '-n', 'seldon-mesh']);
    expect(described.stdout).toMatch(/Warning\s+ModelFailed\s+\S+\s+seldon-controller-manager\s+failed to load model from gs:\/\/nowhere\/unknown/);
    await sb.kubectl(['delete', 'model', 'broken', '-n', 'seldon-mesh']);
  });

  test('server-side apply creates and then updates', async () => {
    const model = SINGLE_MODEL.split('---')[0]!.replace('name: iris', 'name: ssa');
    const first = await sb.kubectl(['apply', '--server-side', '-f', '-'], model);
    expect(first).toMatchObject({ code: 0, stdout: 'model.mlops.seldon.io/ssa serverside-applied\n' });
    const second = await sb.kubectl(['apply', '--server-side', '-f', '-'], model.replace('- sklearn', '- xgboost'));
    expect(second.stdout).toBe('model.mlops.seldon.io/ssa serverside-applied\n');
    const got = await sb.kubectl(['get', 'mlm', 'ssa', '-n', 'seldon-mesh', '-o', 'jsonpath={.spec.requirements[0]} {.metadata.generation}']);
    expect(got.stdout).toBe('xgboost 2');
    // Dropping a field this manager set removes it.
    const third = await sb.kubectl(['apply', '--server-side', '-f', '-'], model.replace(/ {2}requirements:\n {2}- sklearn\n/, ''));
    expect(third.code).toBe(0);
    const dropped = await sb.kubectl(['get', 'mlm', 'ssa', '-n', 'seldon-mesh', '-o', 'json']);
    expect(JSON.parse(dropped.stdout).spec).toEqual({ storageUri: 'gs://seldon-models/mlserver/iris' });
  });

  test('built-in kinds: a Service and a ConfigMap apply, patch strategically and delete', async () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  ports:
  - name: http
    port: 80
  - name: metrics
    port: 9090
`;
    expect((await sb.kubectl(['apply', '-f', '-'], svc)).stdout).toBe('service/web created\n');
    expect((await sb.kubectl(['apply', '-f', '-'], svc)).stdout).toBe('service/web unchanged\n');
    const edited = await sb.kubectl(['apply', '-f', '-'], svc.replace('port: 9090', 'port: 9091'));
    expect(edited).toMatchObject({ code: 0, stdout: 'service/web configured\n', stderr: '' });
    const patched = await sb.kubectl(['patch', 'svc', 'web', '-p', '{"spec":{"ports":[{"port":80,"name":"web"}]}}']);
    expect(patched.stdout).toBe('service/web patched\n');
    const ports = await sb.kubectl(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[*].name}:{.spec.ports[*].port}']);
    expect(ports.stdout).toBe('web metrics:80 9091');
    // Typed clients send protobuf since kubectl 1.31.
    expect((await sb.kubectl(['create', 'configmap', 'cfg', '--from-literal=a=1'])).stdout).toBe('configmap/cfg created\n');
    expect((await sb.kubectl(['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}'])).stdout).toBe('1');
    expect((await sb.kubectl(['create', 'namespace', 'extra'])).stdout).toBe('namespace/extra created\n');
    expect((await sb.kubectl(['create', 'namespace', 'seldon-mesh'])).stderr).toBe('Error from server (AlreadyExists): namespaces "seldon-mesh" already exists\n');
    const listed = await sb.kubectl(['get', 'svc,cm', '-l', 'app=web', '-o', 'name']);
    expect(listed.stdout).toBe('service/web\n');
    expect((await sb.kubectl(['delete', 'svc/web', 'cm/cfg'])).stdout).toBe('service "web" deleted\nconfigmap "cfg" deleted\n');
  });

  test('applying a CRD registers a new kind that kubectl can then apply and get', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wdg]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
    expect((await sb.kubectl(['apply', '-f', '-'], crd)).stdout).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n');
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n';
    expect((await sb.kubectl(['apply', '-f', '-'], widget)).stdout).toBe('widget.example.com/w1 created\n');
    expect((await sb.kubectl(['get', 'wdg', 'w1', '-o', 'jsonpath={.spec.size}'])).stdout).toBe('3');
    const doc = await request(sb, 'GET', '/openapi/v3');
    expect(Object.keys(doc.json.paths)).toContain('apis/example.com/v1');
    expect((await sb.kubectl(['delete', 'crd', 'widgets.example.com'])).code).toBe(0);
    expect((await request(sb, 'GET', '/apis/example.com/v1/namespaces/default/widgets/w1')).status).toBe(404);
  });

  test("a CRD's printer columns are evaluated by kubectl's JSONPath: filters in either quoting, lists as JSON, missing as an empty cell, no Age the CRD did not declare", async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Gadget, plural: gadgets, singular: gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Ready, type: string, jsonPath: ".status.conditions[?(@.type=='Ready')].status"}
    - {name: Reason, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].reason'}
    - {name: Zones, type: string, jsonPath: .spec.zones}
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Owner, type: string, jsonPath: .spec.owner}
`;
    expect((await sb.kubectl(['apply', '-f', '-'], crd)).code).toBe(0);
    // Ready is not the first condition, so a path that ignored the filter would show the other one's values.
    const gadget = `apiVersion: example.com/v1
kind: Gadget
metadata: {name: g1}
spec: {size: 3, zones: [a, b]}
status:
  conditions:
  - {type: Scheduled, status: "True", reason: Placed}
  - {type: Ready, status: "False", reason: Warming}
`;
    expect((await sb.kubectl(['apply', '-f', '-'], gadget)).stdout).toBe('gadget.example.com/g1 created\n');
    const table = await sb.kubectl(['get', 'gadgets']);
    expect(table.stderr).toBe('');
    const [header, row] = table.stdout.split('\n');
    // apiextensions' tableconvertor: a path that finds nothing is a nil cell, which kubectl prints empty.
    expect(header).toMatch(/^NAME\s+READY\s+REASON\s+ZONES\s+SIZE\s+OWNER$/);
    expect(row).toMatch(/^g1\s+False\s+Warming\s+\["a","b"\]\s+3\s+$/);
    expect((await sb.kubectl(['delete', 'crd', 'gadgets.example.com'])).code).toBe(0);
  });

  test('the same Istio objects are served under v1, v1beta1 and v1alpha3', async () => {
    const gw = await sb.kubectl(['get', 'gateways.v1alpha3.networking.istio.io', 'seldon-gateway', '-n', 'istio-system', '-o', 'jsonpath={.apiVersion}']);
    expect(gw.stdout).toBe('networking.istio.io/v1alpha3');
    const v1 = await request(sb, 'GET', '/apis/networking.istio.io/v1/namespaces/istio-system/gateways/seldon-gateway');
    expect(v1.json.apiVersion).toBe('networking.istio.io/v1');
    expect(v1.json.spec.servers[0].port.number).toBe(80);
  });
});
