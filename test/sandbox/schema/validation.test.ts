import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import { startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

const deployment = (name: string, spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
spec:
${spec}`;

const TEMPLATE = `  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

/** The built-in kinds' schema table and the Istio CRDs' schemas, through the real kubectl with its default flags. */
needs('kubectl 1.32').describe('schema validation through kubectl', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb.stop();
  });

  test('a wrong type in a built-in kind is a Go decode error (400), not a validation message', async () => {
    const [replicas, label, env] = await Promise.all([
      sb.kubectl(['create', '-f', '-'], deployment('typed', `  replicas: "3"\n${TEMPLATE}`)),
      sb.kubectl(['create', '-f', '-'], deployment('listless', TEMPLATE.replace(/containers:[^]*/, 'containers: {web: {image: nginx}}\n'))),
      sb.kubectl(['create', '-f', '-'], deployment('env', TEMPLATE.replace('        ports:', '        env:\n        - name: PORT\n          value: 3\n        ports:'))),
    ]);
    expect(replicas.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n',
    );
    expect(label.stderr).toContain('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
    expect(env.stderr).toContain('json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string');
    expect([replicas.code, label.code, env.code]).toEqual([1, 1, 1]);
  });

  test('unknown fields: Strict fails with their paths, Warn warns and prunes, Ignore is quiet', async () => {
    const typo = deployment('typo', TEMPLATE.replace('image: nginx:1.27', 'image: nginx:1.27\n        imagePullPolicyy: Always') + '  paused: false\n  foo: 1\n');
    const strict = await sb.kubectl(['create', '-f', '-'], typo);
    expect(strict.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n',
    );
    const warned = await sb.kubectl(['create', '--validate=warn', '-f', '-'], typo);
    expect(warned.stderr).toBe('Warning: unknown field "spec.foo"\nWarning: unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n');
    expect(warned.stdout).toBe('deployment.apps/typo created\n');
    const stored = await sb.kubectl(['get', 'deploy', 'typo', '-o', 'jsonpath={.spec.foo}|{.spec.template.spec.containers[0]}']);
    // Pruned, and the container port's protocol defaulted as the schema says.
    expect(stored.stdout).toBe('|{"image":"nginx:1.27","name":"web","ports":[{"containerPort":80,"protocol":"TCP"}]}');
    const ignored = await sb.kubectl(['create', '--validate=false', '-f', '-'], typo.replace('name: typo', 'name: ignored'));
    expect(ignored).toMatchObject({ code: 0, stderr: '' });
    // No replicas written: the Deployment's defaults are filled in as its registry does.
    const defaults = await sb.kubectl(['get', 'deploy', 'typo', '-o', 'jsonpath={.spec.replicas} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds}']);
    expect(defaults.stdout).toBe('1 10 600');
  });

  test('required fields and enums of built-in kinds are 422 Invalid with every cause', async () => {
    const [selector, service] = await Promise.all([
      sb.kubectl(['create', '-f', '-'], deployment('unselected', '  template:\n    spec:\n      containers:\n      - image: nginx\n')),
      sb.kubectl(['create', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  name: odd\nspec:\n  ports:\n  - port: 80\n    targetPort: http\n    protocol: HTTP\n  type: Public\n'),
    ]);
    expect(selector.stderr).toBe(
      'The Deployment "unselected" is invalid: \n* spec.selector: Required value\n* spec.template.spec.containers[0].name: Required value\n',
    );
    expect(service.stderr).toBe(
      'The Service "odd" is invalid: \n* spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"\n* spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n',
    );
  });

  test('int-or-string fields take both; a Service port defaults its protocol', async () => {
    const svc = (name: string, target: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: ${target}\n`;
    const [named, numbered, wrong] = await Promise.all([
      sb.kubectl(['create', '-f', '-'], svc('named', 'http')),
      sb.kubectl(['create', '-f', '-'], svc('numbered', '8080')),
      sb.kubectl(['create', '-f', '-'], svc('wrong', 'true')),
    ]);
    expect([named.stdout, numbered.stdout]).toEqual(['service/named created\n', 'service/numbered created\n']);
    expect(wrong.stderr).toContain('Service in version "v1" cannot be handled as a Service: json: cannot unmarshal bool into Go value of type int32');
    const ports = await sb.kubectl(['get', 'svc', 'named', 'numbered', '-o', 'jsonpath={.items[*].spec.ports[0]}']);
    expect(ports.stdout).toBe('{"port":80,"protocol":"TCP","targetPort":"http"} {"port":80,"protocol":"TCP","targetPort":8080}');
  });

  test('Istio kinds follow their CRD schema: structural messages, typed fields, status kept', async () => {
    const vs = (name: string, http: string) => `apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: ${name}\nspec:\n  hosts: ['*']\n  http:\n${http}`;
    const [typed, unknown, missing] = await Promise.all([
      sb.kubectl(['create', '-f', '-'], vs('typed', '  - route:\n    - destination: {host: a}\n      weight: "half"\n')),
      sb.kubectl(['create', '-f', '-'], vs('unknown', '  - route:\n    - destination: {host: a, hots: b}\n')),
      sb.kubectl(['create', '-f', '-'], 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: hostless\nspec:\n  subsets: [{name: v1}]\n'),
    ]);
    expect(typed.stderr).toBe(
      'The VirtualService "typed" is invalid: spec.http[0].route[0].weight: Invalid value: "string": spec.http[0].route[0].weight in body must be of type integer: "string"\n',
    );
    expect(unknown.stderr).toContain('VirtualService in version "v1beta1" cannot be handled as a VirtualService: strict decoding error: unknown field "spec.http[0].route[0].destination.hots"');
    expect(missing.stderr).toBe('The DestinationRule "hostless" is invalid: spec.host: Required value\n');
  });
});
