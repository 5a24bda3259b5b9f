/** The verbs that make objects: create (namespaces, configmaps, secrets, deployments) and apply in its forms. */
import type { Entry } from '../entry.js';
import { GATEWAY, IRIS, VIRTUAL_SERVICE, applyStdin, configMap, create } from './fixtures.js';

const CM = create(configMap('settings'));
export const OPERATION = 'kubectl PrintFlags: `<resource>[.<group>]/<name> <operation>`';

export const CREATE_ENTRIES: Entry[] = [
  {
    name: 'create-ns',
    args: ['create', 'ns', 'cf-create-ns-made'],
    stdout: 'namespace/cf-create-ns-made created\n',
    code: 0,
    rule: OPERATION,
  },
  {
    name: 'create-configmap',
    args: ['create', 'configmap', 'settings', '--from-literal=a=b', '--from-literal=c=d', '-n', '{ns}'],
    stdout: 'configmap/settings created\n',
    code: 0,
    rule: OPERATION,
  },
  {
    name: 'create-secret-generic',
    args: ['create', 'secret', 'generic', 'creds', '--from-literal=token=abc', '-n', '{ns}'],
    stdout: 'secret/creds created\n',
    code: 0,
    rule: OPERATION,
  },
  {
    name: 'create-existing',
    setup: [CM],
    args: ['create', 'configmap', 'settings', '--from-literal=a=b', '-n', '{ns}'],
    stderr: 'error: failed to create configmap: configmaps "settings" already exists\n',
    code: 1,
    rule: 'apimachinery NewAlreadyExists (409 AlreadyExists: `<resource> "<name>" already exists`), wrapped by kubectl create configmap as `failed to create configmap`',
  },
  {
    name: 'create-ns-dry-run-server',
    args: ['create', 'ns', 'cf-never-made', '--dry-run=server'],
    stdout: 'namespace/cf-never-made created (server dry run)\n',
    code: 0,
    rule: `${OPERATION} with the dry-run suffix \`(server dry run)\``,
  },
  {
    name: 'create-dry-run-leaves-nothing',
    setup: [{ args: ['create', 'configmap', 'ghost', '-n', '{ns}', '--dry-run=server'] }],
    args: ['get', 'cm', 'ghost', '-n', '{ns}'],
    stderr: 'Error from server (NotFound): configmaps "ghost" not found\n',
    code: 1,
    rule: 'api-conventions dryRun=All: the request is processed but never persisted',
  },
  {
    name: 'apply-create',
    args: ['apply', '-f', '-'],
    stdin: IRIS + '---\n' + GATEWAY + '---\n' + VIRTUAL_SERVICE,
    stdout: 'model.mlops.seldon.io/iris created\ngateway.networking.istio.io/seldon-gateway created\nvirtualservice.networking.istio.io/iris-route created\n',
    code: 0,
    rule: `${OPERATION}; client-side apply creates what GET answers 404 for`,
  },
  {
    name: 'apply-unchanged',
    setup: [applyStdin(IRIS)],
    args: ['apply', '-f', '-'],
    stdin: IRIS,
    stdout: 'model.mlops.seldon.io/iris unchanged\n',
    code: 0,
    rule: 'kubectl apply: an empty three-way merge patch sends nothing and prints `unchanged`',
  },
  {
    name: 'apply-configured',
    setup: [applyStdin(configMap('settings'))],
    args: ['apply', '-f', '-'],
    stdin: configMap('settings', { a: 'changed' }),
    stdout: 'configmap/settings configured\n',
    code: 0,
    rule: 'kubectl apply: a non-empty strategic merge patch for a built-in prints `configured`',
  },
  {
    name: 'apply-kustomize',
    files: { 'kustomization.yaml': 'namespace: {ns}\nresources:\n- model.yaml\n', 'model.yaml': IRIS },
    args: ['apply', '-k', '{dir}'],
    stdout: 'model.mlops.seldon.io/iris created\n',
    code: 0,
    rule: 'kubectl apply -k: kustomize build of the directory, then apply',
  },
  {
    name: 'apply-server-side',
    args: ['apply', '--server-side', '-f', '-'],
    stdin: IRIS,
    stdout: 'model.mlops.seldon.io/iris serverside-applied\n',
    code: 0,
    rule: 'kubectl apply --server-side: one apply patch (fieldManager=kubectl), printed as `serverside-applied`',
  },
  {
    name: 'apply-server-side-conflict',
    setup: [applyStdin(IRIS)],
    args: ['apply', '--server-side', '--field-manager=other', '-f', '-'],
    stdin: IRIS.replace('gs://seldon-models/mlserver/iris', 'gs://seldon-models/scv2/samples/mlserver_1.1.0/iris-sklearn'),
    stderr:
      'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using mlops.seldon.io/v1alpha1: .spec.storageUri\n' +
      '...',
    code: 1,
    rule: 'structured-merge-diff conflicts → 409 Conflict with causes; kubectl prints `Apply failed with N conflict(s): conflict with "<manager>" using <apiVersion>: <field>` and how to resolve it',
  },
  {
    name: 'apply-dry-run-server',
    args: ['apply', '-f', '-', '--dry-run=server'],
    stdin: IRIS,
    stdout: 'model.mlops.seldon.io/iris created (server dry run)\n',
    code: 0,
    rule: `${OPERATION} with the suffix \`(server dry run)\``,
  },
  {
    name: 'apply-dry-run-client',
    args: ['apply', '-f', '-', '--dry-run=client'],
    stdin: configMap('settings'),
    stdout: 'configmap/settings created (dry run)\n',
    code: 0,
    rule: `${OPERATION} with the suffix \`(dry run)\``,
  },
  {
    name: 'apply-unknown-field',
    args: ['apply', '-f', '-'],
    stdin: IRIS.replace('  storageUri:', '  storageURI: gs://typo\n  storageUri:'),
    stderr: 'Error from server (BadRequest): error when creating "STDIN": Model in version "v1alpha1" cannot be handled as a Model: strict decoding error: unknown field "spec.storageURI"\n',
    code: 1,
    rule: 'apiserver fieldValidation=Strict (kubectl\'s default): `strict decoding error: unknown field "<path>"` as 400 BadRequest',
  },
  {
    name: 'apply-unknown-field-builtin',
    args: ['apply', '-f', '-'],
    stdin: configMap('settings') + 'spec:\n  foo: bar\n',
    stderr: 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"\n',
    code: 1,
    rule: 'apiserver fieldValidation=Strict: unknown fields of built-in kinds are rejected the same way',
  },
  {
    name: 'apply-wrong-type',
    args: ['apply', '-f', '-'],
    stdin: IRIS.replace('  requirements:', '  replicas: two\n  requirements:'),
    stderr:
      'The Model "iris" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"\n',
    code: 1,
    rule: 'apiextensions structural schema validation: `<path>: Invalid value: "<type>": <path> in body must be of type <type>: "<type>"`, 422 printed by kubectl as `The <Kind> "<name>" is invalid: …`',
  },
  {
    name: 'create-deployment',
    args: ['create', 'deployment', 'web', '--image=nginx', '-n', '{ns}'],
    stdout: 'deployment.apps/web created\n',
    code: 0,
    rule: OPERATION,
  },
];
