import { describe, expect, it } from 'vitest';
import { classifyCommand, classifyKubeGet, type Classified } from '../../src/parse/command.js';
import type { ApplyArgs, DeleteArgs, KubeGetArgs, WaitArgs } from '../../src/core/model.js';

const build = (dir: string) => ({ type: 'build', dir, tool: 'kustomize' }) as const;
const files = (paths: string[], recursive = false) => ({ type: 'files', paths, recursive }) as const;

function expectKind(command: string, expected: Classified): void {
  expect(classifyCommand(command)).toEqual(expected);
}

/** Asserts the command falls back to shell with a note containing `why`. */
function expectShell(command: string, why: string): void {
  const c = classifyCommand(command);
  expect(c.kind).toBe('shell');
  expect(c.args).toEqual({ script: command.replace(/^!/, '') });
  expect(c.note).toContain(why);
}

describe('build', () => {
  it.each([
    ['kustomize build config/single-model', { dir: 'config/single-model', tool: 'kustomize' }],
    ['kubectl kustomize config/x', { dir: 'config/x', tool: 'kubectl' }],
    ['kustomize build', { dir: '.', tool: 'kustomize' }],
    ['kubectl kustomize', { dir: '.', tool: 'kubectl' }],
    ['!kustomize build ${DIR}', { dir: '${DIR}', tool: 'kustomize' }],
    ['kustomize build "dir with space"', { dir: 'dir with space', tool: 'kustomize' }],
  ] as const)('%s', (command, args) => {
    expectKind(command, { kind: 'build', args });
  });

  it.each([
    ['kustomize build --enable-helm x', '--enable-helm'],
    ['kubectl kustomize --load-restrictor LoadRestrictionsNone x', '--load-restrictor'],
    ['kustomize build a b', 'one directory'],
    ['kustomize build x > out.yaml', "'>'"],
  ])('%s falls back', (command, why) => expectShell(command, why));

  it('other kustomize subcommands are plain shell without a note', () => {
    expect(classifyCommand('kustomize edit set image x')).toEqual({ kind: 'shell', args: { script: 'kustomize edit set image x' } });
  });
});

describe('apply', () => {
  const apply = (over: Partial<ApplyArgs>): Classified => ({ kind: 'apply', args: { source: files(['x.yaml']), serverSide: false, ...over } });
  it.each<[string, Partial<ApplyArgs>]>([
    ['kubectl apply -f x.yaml', {}],
    ['kubectl apply --filename x.yaml', {}],
    ['kubectl apply --filename=x.yaml', {}],
    ['kubectl apply -f=x.yaml', {}],
    ['kubectl apply -fx.yaml', {}],
    ['kubectl apply -f a.yaml -f b/', { source: files(['a.yaml', 'b/']) }],
    ['kubectl apply -f a.yaml,b.yaml', { source: files(['a.yaml', 'b.yaml']) }],
    ['kubectl apply -R -f dir', { source: files(['dir'], true) }],
    ['kubectl apply --recursive -f dir', { source: files(['dir'], true) }],
    ['kubectl apply -Rf dir', { source: files(['dir'], true) }],
    ['kubectl apply -f x.yaml -n seldon-mesh', { namespace: 'seldon-mesh' }],
    ['kubectl -n seldon-mesh apply -f x.yaml', { namespace: 'seldon-mesh' }],
    ['kubectl apply -f x.yaml --namespace=${NS}', { namespace: '${NS}' }],
    ['kubectl apply -f x.yaml -nfoo', { namespace: 'foo' }],
    ['kubectl apply -f x.yaml --server-side', { serverSide: true }],
    ['kubectl apply -f x.yaml --server-side=true', { serverSide: true }],
    ['kubectl apply -f x.yaml --server-side=false', { serverSide: false }],
    ['kubectl apply -f x.yaml --server-side --force-conflicts', { serverSide: true, forceConflicts: true }],
    ['kubectl apply -f x.yaml --field-manager me', { fieldManager: 'me' }],
    ['kubectl apply -f x.yaml --field-manager=me', { fieldManager: 'me' }],
    ['kubectl apply -f x.yaml --dry-run=client', { dryRun: 'client' }],
    ['kubectl apply -f x.yaml --dry-run=server', { dryRun: 'server' }],
    ['kubectl apply -f x.yaml --dry-run=none', { dryRun: 'none' }],
    ['kubectl apply -f x.yaml --context kind-kind', { context: 'kind-kind' }],
    ['kubectl --context=kind-kind apply -f x.yaml', { context: 'kind-kind' }],
    ['kubectl apply -f x.yaml --kubeconfig /tmp/kc', { kubeconfig: '/tmp/kc' }],
    ['kubectl apply -k config/x', { source: { type: 'kustomize', dir: 'config/x' } }],
    ['kubectl apply --kustomize=config/x', { source: { type: 'kustomize', dir: 'config/x' } }],
    ['kustomize build config/x | kubectl apply -f -', { source: build('config/x') }],
    ['kubectl kustomize config/x | kubectl apply -f -', { source: { type: 'build', dir: 'config/x', tool: 'kubectl' } }],
    ['kustomize build config/x | kubectl apply --server-side -f - -n ns', { source: build('config/x'), serverSide: true, namespace: 'ns' }],
    ['kubectl apply -f x.yaml # with a comment', {}],
    ['kubectl apply \\\n  -f x.yaml', {}],
  ])('%s', (command, over) => expectKind(command, apply(over)));

  it.each([
    ['kubectl apply -f x --prune', '--prune'],
    ['kubectl apply -f x -l app=x', '-l'],
    ['kubectl apply -f x --validate=false', '--validate'],
    ['kubectl apply -f x -o yaml', '-o'],
    ['kubectl apply -f x --dry-run', '--dry-run=VALUE'],
    ['kubectl apply -f x --dry-run=true', 'not none, client or server'],
    ['kubectl apply -f x --server-side=maybe', 'not a boolean'],
    ['kubectl apply -f', 'needs a value'],
    ['kubectl apply', 'no -f or -k'],
    ['kubectl apply -f x extra', "got 'extra'"],
    ['kubectl apply -f a -k b', '-f and -k together'],
    ['kubectl apply -k a -k b', 'only one -k'],
    ['kubectl apply -f -', 'stdin'],
    ['cat x.yaml | kubectl apply -f -', "reads what 'cat' pipes into it"],
    ['kustomize build x | kubectl apply -f - -f y.yaml', 'exactly one -f -'],
    ['kustomize build x | kubectl apply -f y.yaml', 'exactly one -f -'],
    ['kustomize build x | kubectl apply -k y', 'exactly one -f -'],
    ['kustomize build x | kubectl apply -f - -k y', 'exactly one -f -'],
    ['kustomize build x | kubectl apply', 'exactly one -f -'],
    ['kustomize build --enable-helm x | kubectl apply -f -', '--enable-helm'],
    ['kustomize build x | kubectl wait --for=delete -f -', 'other than kubectl apply or delete'],
    ['kustomize build x | grep kind', 'other than kubectl apply or delete'],
    ['kustomize build x | kubectl apply -f - | tee log', '3-stage pipeline'],
    ['kubectl apply -f x && kubectl apply -f y', "'&&'"],
    ['kubectl apply -f x; echo done', "';'"],
    ['kubectl apply -f x 2>&1', "'>&'"],
    ['kubectl apply -f x &', "'&'"],
    ['KUBECONFIG=/tmp/kc kubectl apply -f x', 'environment assignments'],
    ['kubectl apply -f `ls`', 'command substitution'],
    ["kubectl apply -f 'unclosed", 'unclosed single quote'],
    ['kubectl apply -f x\nkubectl apply -f y', 'separate lines'],
  ])('%s falls back', (command, why) => expectShell(command, why));
});

describe('wait', () => {
  const ready = { type: 'condition', condition: 'ready', value: 'true' } as const;
  const wait = (over: Partial<WaitArgs>): Classified => ({
    kind: 'wait',
    args: { for: ready, timeoutMs: 30_000, resource: 'model', names: [], all: true, ...over },
  });
  it.each<[string, Partial<WaitArgs>]>([
    ['kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh', { timeoutMs: 300_000, namespace: 'seldon-mesh' }],
    ['kubectl wait --for=condition=ready model --all', {}],
    ['kubectl wait model --all --for=condition=Ready=false', { for: { type: 'condition', condition: 'Ready', value: 'false' } }],
    ['kubectl wait --for=Condition=Available=True deploy --all', { resource: 'deploy', for: { type: 'condition', condition: 'Available', value: 'True' } }],
    ['kubectl wait --for=delete model/iris', { for: { type: 'delete' }, names: ['iris'], all: false }],
    ['kubectl wait --for delete model iris iris2', { for: { type: 'delete' }, names: ['iris', 'iris2'], all: false }],
    ['kubectl wait --for=delete model/iris model/iris2', { for: { type: 'delete' }, names: ['iris', 'iris2'], all: false }],
    ["kubectl wait --for=jsonpath='{.status.phase}'=Running pod/x", { resource: 'pod', names: ['x'], all: false, for: { type: 'jsonpath', path: '{.status.phase}', value: 'Running' } }],
    ['kubectl wait --for="jsonpath={.status.phase}=Running" pod/x', { resource: 'pod', names: ['x'], all: false, for: { type: 'jsonpath', path: '{.status.phase}', value: 'Running' } }],
    ["kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' svc/lb", { resource: 'svc', names: ['lb'], all: false, for: { type: 'jsonpath', path: '{.status.loadBalancer.ingress}' } }],
    ['kubectl wait --for=jsonpath=.status.phase=Running pod/x', { resource: 'pod', names: ['x'], all: false, for: { type: 'jsonpath', path: '{.status.phase}', value: 'Running' } }],
    ['kubectl wait --for=jsonpath=status.phase pod/x', { resource: 'pod', names: ['x'], all: false, for: { type: 'jsonpath', path: '{.status.phase}' } }],
    [
      `kubectl wait --for='jsonpath={.status.conditions[?(@.type=="Ready")].status}=True' pod/x`,
      { resource: 'pod', names: ['x'], all: false, for: { type: 'jsonpath', path: '{.status.conditions[?(@.type=="Ready")].status}', value: 'True' } },
    ],
    ['kubectl wait --for=condition=ready model -l app=iris', { all: false, selector: 'app=iris' }],
    ['kubectl wait --for=condition=ready model --selector=app=iris', { all: false, selector: 'app=iris' }],
    ['kubectl wait --for=condition=ready model --all -A', { allNamespaces: true }],
    ['kubectl wait --for=condition=ready model --all --all-namespaces', { allNamespaces: true }],
    ['kubectl wait --for=condition=ready model --all --all=false -l a=b', { all: false, selector: 'a=b' }],
    ['kubectl wait --for=condition=ready models.mlops.seldon.io --all', { resource: 'models.mlops.seldon.io' }],
    ['kubectl wait --for=condition=ready -f model.yaml', { resource: '', all: false, source: files(['model.yaml']) }],
    ['kubectl wait --for=condition=ready -k config/x', { resource: '', all: false, source: { type: 'kustomize', dir: 'config/x' } }],
    ['kubectl wait --for=condition=ready model --all --context c --kubeconfig k', { context: 'c', kubeconfig: 'k' }],
    ['kubectl wait --for=condition=ready --timeout 5m model --all', { timeoutMs: 300_000 }],
    ['kubectl wait --for=condition=ready --timeout=1h2m3s model --all', { timeoutMs: 3_723_000 }],
    ['kubectl wait --for=condition=ready --timeout=500ms model --all', { timeoutMs: 500 }],
    ['kubectl wait --for=condition=ready --timeout=1.5m model --all', { timeoutMs: 90_000 }],
    ['kubectl wait --for=condition=ready --timeout=0 model --all', { timeoutMs: 0 }],
    ['kubectl wait --for=condition=ready --timeout=-1s model --all', { timeoutMs: 7 * 24 * 3600 * 1000 }],
    ['kubectl wait --for=delete --for=condition=ready model --all', {}],
  ])('%s', (command, over) => expectKind(command, wait(over)));

  it.each([
    ['kubectl wait --for=condition=ready --timeout=300 model --all', '--timeout=300'],
    ['kubectl wait --for=condition=ready --timeout=5x model --all', 'not a duration'],
    ['kubectl wait --for=condition=ready --timeout= model --all', 'not a duration'],
    ['kubectl wait model --all', 'no --for'],
    ['kubectl wait --for=create pod/x', 'not delete, condition'],
    ['kubectl wait --for=condition= pod/x', 'names no condition'],
    ['kubectl wait --for=jsonpath= pod/x', 'no expression'],
    ["kubectl wait --for=jsonpath='{.a'=b pod/x", 'unclosed brace'],
    ["kubectl wait --for=jsonpath='{.a}'= pod/x", 'empty value'],
    ["kubectl wait --for=jsonpath='{.a}x' pod/x", 'not =VALUE'],
    ['kubectl wait --for=condition=ready model', 'no object'],
    ['kubectl wait --for=condition=ready', 'nothing to wait for'],
    ['kubectl wait --for=condition=ready model iris --all', 'also uses --all'],
    ['kubectl wait --for=condition=ready model/iris -l a=b', 'also uses --all or -l'],
    ['kubectl wait --for=condition=ready model/iris deploy/x', 'several resource types'],
    ['kubectl wait --for=condition=ready model --all -l a=b', 'both --all and -l'],
    ['kubectl wait --for=condition=ready model,deploy --all', 'several resource types'],
    ['kubectl wait --for=condition=ready model model/x', 'mixes TYPE NAME'],
    ['kubectl wait --for=condition=ready /x', 'not TYPE/NAME'],
    ['kubectl wait --for=condition=ready -f x.yaml model --all', 'both with -f/-k'],
    ['kubectl wait --for=condition=ready model --all --field-selector a=b', '--field-selector'],
    ['kubectl wait --for=condition=ready model --all -o name', '-o'],
    ['kubectl wait --for=condition=ready model --all -v=6', '-v'],
  ])('%s falls back', (command, why) => expectShell(command, why));
});

describe('delete', () => {
  const del = (target: DeleteArgs['target'], over: Partial<DeleteArgs> = {}): Classified => ({
    kind: 'delete',
    args: { target, ignoreNotFound: false, wait: true, ...over },
  });
  const names = (resource: string, list: string[], all = false, selector?: string): DeleteArgs['target'] =>
    selector === undefined ? { type: 'names', resource, names: list, all } : { type: 'names', resource, names: list, all, selector };
  it.each<[string, Classified]>([
    ['kustomize build config/x | kubectl delete -f -', del({ type: 'manifests', source: build('config/x') })],
    ['kubectl kustomize config/x | kubectl delete -f -', del({ type: 'manifests', source: { type: 'build', dir: 'config/x', tool: 'kubectl' } })],
    ['kubectl delete -f x.yaml', del({ type: 'manifests', source: files(['x.yaml']) })],
    ['kubectl delete -R -f dir', del({ type: 'manifests', source: files(['dir'], true) })],
    ['kubectl delete -k config/x', del({ type: 'manifests', source: { type: 'kustomize', dir: 'config/x' } })],
    ['kubectl delete model iris', del(names('model', ['iris']))],
    ['kubectl delete model iris iris2 -n seldon-mesh', del(names('model', ['iris', 'iris2']), { namespace: 'seldon-mesh' })],
    ['kubectl delete model/iris', del(names('model', ['iris']))],
    ['kubectl delete model --all', del(names('model', [], true))],
    ['kubectl delete model --all -A', del(names('model', [], true), { allNamespaces: true })],
    ['kubectl delete model -l app=iris', del(names('model', [], false, 'app=iris'))],
    ['kubectl delete model iris --ignore-not-found', del(names('model', ['iris']), { ignoreNotFound: true })],
    ['kubectl delete model iris --ignore-not-found=true', del(names('model', ['iris']), { ignoreNotFound: true })],
    ['kubectl delete model iris --wait=false', del(names('model', ['iris']), { wait: false })],
    ['kubectl delete model iris --wait', del(names('model', ['iris']))],
    ['kubectl delete model iris --context c --kubeconfig=k', del(names('model', ['iris']), { context: 'c', kubeconfig: 'k' })],
  ])('%s', (command, expected) => expectKind(command, expected));

  it.each([
    ['kubectl delete model iris --grace-period=0', '--grace-period'],
    ['kubectl delete model iris --force', '--force'],
    ['kubectl delete model iris --timeout=10s', '--timeout'],
    ['kubectl delete model iris --cascade=foreground', '--cascade'],
    ['kubectl delete model', 'no object'],
    ['kubectl delete', 'nothing to delete'],
    ['kubectl delete -f -', 'stdin'],
    ['kubectl delete -f x.yaml model iris', 'both with -f/-k'],
    ['kubectl delete -f x.yaml --all', '--all or -l'],
    ['kubectl delete model iris --all', 'also uses --all'],
    ['kubectl delete model --all -l a=b', 'both --all and -l'],
    ['kubectl delete model/a svc/b', 'several resource types'],
    ['kustomize build x | kubectl delete model iris', 'exactly one -f -'],
    ['kustomize build x | kubectl delete -f - --all', '--all or -l'],
  ])('%s falls back', (command, why) => expectShell(command, why));
});

describe('get -o jsonpath (classifyKubeGet)', () => {
  const ip = '{.status.loadBalancer.ingress[0].ip}';
  const svc: KubeGetArgs = { resource: 'svc', name: 'istio-ingressgateway', namespace: 'istio-system', jsonpath: ip };
  it.each<[string, KubeGetArgs]>([
    [`kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='${ip}'`, svc],
    [`kubectl get svc istio-ingressgateway -n istio-system -o=jsonpath='${ip}'`, svc],
    [`kubectl get svc istio-ingressgateway -n istio-system -ojsonpath='${ip}'`, svc],
    [`kubectl get svc istio-ingressgateway -n istio-system --output jsonpath="${ip}"`, svc],
    [`kubectl get svc istio-ingressgateway -n istio-system --output=jsonpath=${ip}`, svc],
    [`kubectl -n istio-system get svc/istio-ingressgateway -o 'jsonpath=${ip}'`, svc],
    [`!kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='${ip}'`, svc],
    [
      "kubectl get pods -l app=x -A -o jsonpath='{.items[*].metadata.name}' --context c --kubeconfig k",
      { resource: 'pods', selector: 'app=x', allNamespaces: true, jsonpath: '{.items[*].metadata.name}', context: 'c', kubeconfig: 'k' },
    ],
    ['kubectl get model iris -o jsonpath={.status.replicas}', { resource: 'model', name: 'iris', jsonpath: '{.status.replicas}' }],
  ])('%s', (command, expected) => {
    expect(classifyKubeGet(command)).toEqual(expected);
  });

  it.each([
    'kubectl get svc x -o json',
    'kubectl get svc x',
    "kubectl get svc a b -o jsonpath='{.x}'",
    "kubectl get -o jsonpath='{.x}'",
    "kubectl get svc x -o jsonpath='{.x}' --show-labels",
    "kubectl get svc x -o jsonpath='{.x}' | tr a b",
    "kubectl get svc x -o jsonpath='{.x}' -o yaml",
    "kubectl describe svc x -o jsonpath='{.x}'",
    "curl -o jsonpath='{.x}'",
    '',
    "kubectl get svc x -o jsonpath='{.x",
  ])('%s is not a typed get', (command) => {
    expect(classifyKubeGet(command)).toBeUndefined();
  });

  it('a kubectl get is a plain shell step for classifyCommand, without a note', () => {
    const command = "kubectl get svc x -o jsonpath='{.x}'";
    expect(classifyCommand(command)).toEqual({ kind: 'shell', args: { script: command } });
  });
});
