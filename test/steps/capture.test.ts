import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { apply } from '../../steps/apply.js';
import { capture } from '../../steps/capture.js';
import type { CaptureArgs, KubeGetArgs } from '../../src/core/model.js';
import { startHarness, type Harness } from '../kube/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const objects = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-a
  namespace: default
  labels: {app: demo, tier: web}
data:
  key: value
  other: "x & <y>"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-b
  namespace: default
  labels: {app: demo}
data:
  key: second
---
apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: iris
  namespace: seldon-mesh
spec:
  storageUri: gs://seldon-models/mlserver/iris
  replicas: 2
  requirements: [sklearn, xgboost]
  dedicated: true
---
# A DestinationRule's trafficPolicy keeps what it is given, so a float can be stored (Seldon's Model schema has none).
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: ratio
  namespace: default
spec:
  host: ratio
  trafficPolicy: {ratio: 1.5, enabled: false}
`;
  expect((await apply.run({ source: { type: 'stdin', text: objects }, serverSide: false }, h.ctx())).exitCode).toBe(0);
});
afterAll(async () => {
  await h?.stop();
});

const captureGet = (get: KubeGetArgs, extra: Partial<CaptureArgs> = {}): CaptureArgs => ({
  variable: 'V',
  command: 'kubectl get …',
  get,
  firstLine: true,
  exported: false,
  displayed: false,
  ...extra,
});

/** The native value and kubectl's output for the same `get -o jsonpath`. */
async function both(get: KubeGetArgs) {
  const native = await capture.run(captureGet(get), h.ctx());
  const argv = ['get', get.resource, ...(get.name ? [get.name] : []), ...(get.namespace ? ['-n', get.namespace] : []), ...(get.selector ? ['-l', get.selector] : []), '-o', `jsonpath=${get.jsonpath}`];
  const real = await h.kubectl(argv);
  return { native, real };
}

describe('capture of kubectl get -o jsonpath', () => {
  needs('kubectl 1.32').it('captures the ingress address as the seed runbook does and displays its repr', async () => {
    const get: KubeGetArgs = { resource: 'svc', name: 'istio-ingressgateway', namespace: 'istio-system', jsonpath: '{.status.loadBalancer.ingress[0].ip}' };
    const out = await capture.run(captureGet(get, { variable: 'INGRESS_IP', displayed: true, exported: true }), h.ctx());
    const real = await h.kubectl(['get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
    expect(real.stdout).toBe(h.sandbox.ingressIp);
    expect(out).toMatchObject({ stdout: `'${h.sandbox.ingressIp}'\n`, exitCode: 0, vars: { INGRESS_IP: h.sandbox.ingressIp } });
    expect(out.data).toEqual({ type: 'value', variable: 'INGRESS_IP', value: h.sandbox.ingressIp });
  });

  const templates: [string, KubeGetArgs][] = [
    ['a field', { resource: 'configmap', name: 'cm-a', namespace: 'default', jsonpath: '{.data.key}' }],
    ['a map as JSON', { resource: 'configmap', name: 'cm-a', namespace: 'default', jsonpath: '{.data}' }],
    ['two expressions and text', { resource: 'cm', name: 'cm-a', namespace: 'default', jsonpath: 'name={.metadata.name} labels={.metadata.labels.tier}' }],
    ['a list of names', { resource: 'configmaps', namespace: 'default', selector: 'app=demo', jsonpath: '{.items[*].metadata.name}' }],
    ['a range with literals', { resource: 'configmaps', namespace: 'default', selector: 'app=demo', jsonpath: '{range .items[*]}{.metadata.name}{"\\t"}{.data.key}{"\\n"}{end}' }],
    ['a filter', { resource: 'configmaps', namespace: 'default', jsonpath: '{.items[?(@.data.key=="second")].metadata.name}' }],
    ['a missing key', { resource: 'configmap', name: 'cm-a', namespace: 'default', jsonpath: '{.data.absent}' }],
    ['numbers, bools and lists', { resource: 'model', name: 'iris', namespace: 'seldon-mesh', jsonpath: '{.spec.replicas} {.spec.dedicated} {.spec.requirements} {.spec.requirements[-1]}' }],
    ['floats and false', { resource: 'destinationrule', name: 'ratio', namespace: 'default', jsonpath: '{.spec.trafficPolicy.ratio} {.spec.trafficPolicy.enabled}' }],
    ['a slice and kind of list items', { resource: 'models.mlops.seldon.io', namespace: 'seldon-mesh', jsonpath: '{.items[0:1].kind} {.kind} {.items[0].spec.requirements[0:2]}' }],
    ['the List of nothing', { resource: 'configmaps', namespace: 'default', selector: 'app=none', jsonpath: '{.items}' }],
  ];
  needs('kubectl 1.32').it.each(templates)('evaluates %s like kubectl', async (_name, get) => {
    const { native, real } = await both(get);
    expect(real.exitCode).toBe(0);
    expect(native.exitCode).toBe(0);
    expect(native.vars?.V).toBe(real.stdout.split('\n')[0]);
    const all = await capture.run(captureGet(get, { firstLine: false }), h.ctx());
    expect(all.vars?.V).toBe(real.stdout.replace(/\n$/, ''));
  });

  needs('kubectl 1.32').it('reports a missing object and an index out of range like kubectl', async () => {
    const missing = await both({ resource: 'svc', name: 'nope', namespace: 'default', jsonpath: '{.metadata.name}' });
    expect(missing.native).toMatchObject({ stderr: missing.real.stderr, exitCode: 1 });
    expect(missing.native.stderr).toBe('Error from server (NotFound): services "nope" not found\n');
    const absent = await both({ resource: 'cm', name: 'cm-a', namespace: 'default', jsonpath: '{.metadata.ownerReferences[0]}' });
    expect(absent.native).toMatchObject({ stdout: '', stderr: absent.real.stderr, exitCode: 0 });
    const index = await both({ resource: 'model', name: 'iris', namespace: 'seldon-mesh', jsonpath: '{.spec.requirements[5]}' });
    expect(index.real.exitCode).toBe(1);
    expect(index.native).toMatchObject({ stdout: index.real.stdout, exitCode: 1 });
    // kubectl goes on to dump the object as Go's %#v, which only the text before it matches.
    const upToObject = (s: string) => s.split('object given')[0];
    expect(upToObject(index.native.stderr)).toBe(upToObject(index.real.stderr));
  });

  it('runs other commands through bash and displays the list of lines', async () => {
    const out = await capture.run(
      { variable: 'LINES', command: 'printf "a\\nb\'s\\n"; echo oops >&2', firstLine: false, exported: false, displayed: true },
      h.ctx({ vars: {} }),
    );
    expect(out).toMatchObject({ stdout: `['a', "b's"]\n`, stderr: 'oops\n', exitCode: 0, vars: { LINES: "a\nb's" } });
  });

  it('displays values as IPython does: split on every Python line break, non-printables escaped', async () => {
    // In Python: 'a\xa0b\u2028c\x85d\u200b\n'.splitlines() == ['a\xa0b', 'c', 'd\u200b']
    const out = await capture.run(
      { variable: 'ODD', command: "printf 'a\\302\\240b\\342\\200\\250c\\302\\205d\\342\\200\\213\\n'", firstLine: false, exported: false, displayed: true },
      h.ctx({ vars: {} }),
    );
    expect(out).toMatchObject({ stdout: "['a\\xa0b', 'c', 'd\\u200b']\n", exitCode: 0, vars: { ODD: 'a\xa0b\nc\nd\u200b' } });
  });
});
