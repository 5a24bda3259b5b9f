/**
 * The object lifecycle as the real kubectl 1.32 sees it against the sandbox: server dry runs that change nothing,
 * namespaces that cannot be deleted or go Terminating first, kube-root-ca.crt, Secret defaults, renames refused,
 * the API server's name-rule messages, and `kubectl auth`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import { SINGLE_MODEL, caOf, request, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

const FORBIDDEN = (ns: string) => `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted\n`;

needs('kubectl 1.32').describe('object lifecycle through kubectl', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ loadDelayMs: 20 });
  });
  afterAll(async () => {
    await sb.stop();
  });

  describe('dry run and protected namespaces', () => {
    test('kube-system, default, kube-public and kube-node-lease cannot be deleted, dry run or not', async () => {
      const [dry, ...real] = await Promise.all([
        sb.kubectl(['delete', 'ns', 'kube-system', '--dry-run=server']),
        ...['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((ns) => sb.kubectl(['delete', 'ns', ns])),
      ]);
      expect(dry).toMatchObject({ code: 1, stdout: '', stderr: FORBIDDEN('kube-system') });
      expect(real.map((r) => r.stderr)).toEqual(['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(FORBIDDEN));
      const phases = await sb.kubectl(['get', 'ns', 'default', 'kube-system', '-o', 'jsonpath={.items[*].status.phase}']);
      expect(phases.stdout).toBe('Active Active');
    });

    test('--dry-run=server on delete, patch, apply and create prints what would happen and changes nothing', async () => {
      expect((await sb.kubectl(['create', 'cm', 'dry', '--from-literal=k=v'])).code).toBe(0);
      const rv = (await sb.kubectl(['get', 'cm', 'dry', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
      const [ns, cm, all, patched, applied, created] = await Promise.all([
        sb.kubectl(['delete', 'ns', 'seldon-mesh', '--dry-run=server']),
        sb.kubectl(['delete', 'cm', 'dry', '--dry-run=server']),
        sb.kubectl(['delete', 'cm', '--all', '--dry-run=server']),
        sb.kubectl(['patch', 'cm', 'dry', '--dry-run=server', '-p', '{"data":{"k":"changed"}}']),
        sb.kubectl(['apply', '--dry-run=server', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  k: applied\n'),
        sb.kubectl(['create', 'cm', 'never', '--dry-run=server']),
      ]);
      expect(ns).toMatchObject({ code: 0, stdout: 'namespace "seldon-mesh" deleted (server dry run)\n' });
      expect(cm.stdout).toBe('configmap "dry" deleted (server dry run)\n');
      expect(all.stdout).toBe('configmap "dry" deleted (server dry run)\nconfigmap "kube-root-ca.crt" deleted (server dry run)\n');
      // kubectl's patch prints no dry-run suffix (its printer is made before the strategy is known).
      expect(patched.stdout).toBe('configmap/dry patched\n');
      expect(applied.stdout).toBe('configmap/dry configured (server dry run)\n');
      expect(created.stdout).toBe('configmap/never created (server dry run)\n');

      const after = await Promise.all([
        sb.kubectl(['get', 'ns', 'seldon-mesh', '-o', 'jsonpath={.status.phase}']),
        sb.kubectl(['get', 'cm', 'dry', '-o', 'jsonpath={.metadata.resourceVersion} {.data.k}']),
        sb.kubectl(['get', 'cm', '-o', 'name']),
        sb.kubectl(['get', 'model,server', '-n', 'seldon-mesh', '-o', 'name']),
      ]);
      expect(after.map((r) => r.stdout)).toEqual([
        'Active',
        `${rv} v`,
        'configmap/dry\nconfigmap/kube-root-ca.crt\n',
        'server.mlops.seldon.io/mlserver\nserver.mlops.seldon.io/triton\n',
      ]);
    });
  });

  describe('namespaces', () => {
    test('a deleted namespace is Terminating while a finalizer holds its content, refuses new content, then goes', async () => {
      const held = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: held\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  namespace: held\n  finalizers: [example.com/hold]\n';
      expect((await sb.kubectl(['apply', '-f', '-'], held)).stdout).toBe('namespace/held created\nconfigmap/kept created\n');
      const shape = await request(sb, 'GET', '/api/v1/namespaces/held');
      expect(shape.json).toMatchObject({ metadata: { labels: { 'kubernetes.io/metadata.name': 'held' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });

      expect((await sb.kubectl(['delete', 'ns', 'held', '--wait=false'])).stdout).toBe('namespace "held" deleted\n');
      const [got, refused, described, left] = await Promise.all([
        sb.kubectl(['get', 'ns', 'held']),
        sb.kubectl(['create', 'cm', 'late', '-n', 'held']),
        // The controller empties the namespace and reports what the finalizer still holds.
        pollUntil(() => sb.kubectl(['describe', 'ns', 'held']), (r) => r.stdout.includes('SomeFinalizersRemain')),
        pollUntil(() => request(sb, 'GET', '/api/v1/namespaces/held/configmaps'), (r) => r.json.items.length === 1),
      ]);
      expect(got.stdout).toMatch(/^NAME\s+STATUS\s+AGE\nheld\s+Terminating\s+\d+s\n$/);
      expect(refused.stderr).toBe(
        'error: failed to create configmap: configmaps "late" is forbidden: unable to create new content in namespace held because it is being terminated\n',
      );
      expect(described.stdout).toMatch(/^Status:\s+Terminating$/m);
      expect(described.stdout).toMatch(/NamespaceContentRemaining\s+True\s+.+SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances$/m);
      expect(described.stdout).toMatch(/NamespaceFinalizersRemaining\s+True\s+.+Some content in the namespace has finalizers remaining: example\.com\/hold in 1 resource instances$/m);
      // kube-root-ca.crt went with the rest; the held ConfigMap waits, marked for deletion.
      expect(left.json.items.map((i: { metadata: { name: string; deletionTimestamp?: string } }) => [i.metadata.name, typeof i.metadata.deletionTimestamp])).toEqual([['kept', 'string']]);

      await request(sb, 'PATCH', '/api/v1/namespaces/held/configmaps/kept', { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
      expect((await sb.kubectl(['wait', '--for=delete', 'ns/held', '--timeout=10s'])).code).toBe(0);
      expect((await request(sb, 'GET', '/api/v1/namespaces/held')).status).toBe(404);
    });

    test('a namespace stuck Terminating is released through …/finalize, as users do with kubectl replace --raw', async () => {
      const stuck = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: stuck\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pinned\n  namespace: stuck\n  finalizers: [example.com/gone-controller]\n';
      await sb.kubectl(['apply', '-f', '-'], stuck);
      await sb.kubectl(['delete', 'ns', 'stuck', '--wait=false']);
      // Once the controller has reported (its last write while the finalizer holds), the read is current.
      const ns = (await pollUntil(() => request(sb, 'GET', '/api/v1/namespaces/stuck'), (r) => r.json.status.conditions !== undefined)).json;
      expect(ns.status.phase).toBe('Terminating');
      const released = await sb.kubectl(['replace', '--raw', '/api/v1/namespaces/stuck/finalize', '-f', '-'], JSON.stringify({ ...ns, spec: { finalizers: [] } }));
      expect(released.stderr).toBe('');
      expect(JSON.parse(released.stdout)).toMatchObject({ kind: 'Namespace', metadata: { name: 'stuck' }, spec: { finalizers: [] } });
      expect((await request(sb, 'GET', '/api/v1/namespaces/stuck')).status).toBe(404);
    });

    test('kubectl delete ns waits for the Seldon operator to let go of a Model, and returns once the namespace is gone', async () => {
      const model = SINGLE_MODEL.split('---')[0]!.replace('namespace: seldon-mesh', 'namespace: ml');
      await sb.kubectl(['apply', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n---\n${model}`);
      await sb.kubectl(['wait', '--for=condition=ready', 'model/iris', '-n', 'ml', '--timeout=10s']);
      expect(sb.loaded.has('iris')).toBe(true);
      const finalizers = await request(sb, 'GET', '/apis/mlops.seldon.io/v1alpha1/namespaces/ml/models/iris');
      expect(finalizers.json.metadata.finalizers).toEqual(['seldon.model.finalizer']);
      const deleted = await sb.kubectl(['delete', 'ns', 'ml']);
      expect(deleted).toMatchObject({ code: 0, stdout: 'namespace "ml" deleted\n' });
      expect((await request(sb, 'GET', '/apis/mlops.seldon.io/v1alpha1/namespaces/ml/models/iris')).status).toBe(404);
      expect((await request(sb, 'GET', '/api/v1/namespaces/ml')).status).toBe(404);
      expect(sb.loaded.has('iris')).toBe(false);
    });

    test('every namespace holds kube-root-ca.crt with the API server CA, put back when deleted or edited', async () => {
      const ca = await caOf(sb.kubeconfigPath);
      const path = '/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt';
      const read = async () => ((await request(sb, 'GET', path)).json as { data?: Record<string, string> }).data?.['ca.crt'];
      await request(sb, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } } });
      expect((await sb.kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.data.ca\\.crt}'])).stdout).toBe(ca);
      expect((await sb.kubectl(['delete', 'cm', 'kube-root-ca.crt', '-n', 'fresh'])).code).toBe(0);
      expect(await read()).toBe(ca);
      await request(sb, 'PATCH', path, { body: { data: { 'ca.crt': 'tampered' } }, contentType: 'application/merge-patch+json' });
      expect(await read()).toBe(ca);
      const seeded = await sb.kubectl(['get', 'cm', '-A', '--field-selector', 'metadata.name=kube-root-ca.crt', '-o', 'jsonpath={.items[*].metadata.namespace}']);
      expect(seeded.stdout.split(' ')).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'istio-system', 'seldon-mesh', 'fresh']));
    });
  });

  describe('writes the API server refuses or rewrites', () => {
    test('a Secret defaults to Opaque, folds stringData into data, and refuses data that is not base64', async () => {
      const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  user: admin\ndata:\n  pass: aHVudGVyMg==\n';
      expect((await sb.kubectl(['apply', '-f', '-'], secret)).stdout).toBe('secret/creds created\n');
      const stored = JSON.parse((await sb.kubectl(['get', 'secret', 'creds', '-o', 'json'])).stdout);
      expect(stored).toMatchObject({ type: 'Opaque', data: { pass: 'aHVudGVyMg==', user: 'YWRtaW4=' } });
      expect(stored.stringData).toBeUndefined();
      const bad = await sb.kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  pass: not-base64!\n');
      expect(bad.stderr).toBe('Error from server (BadRequest): error when creating "STDIN": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3\n');
    });

    test("a Secret's type and an immutable ConfigMap's data cannot change", async () => {
      await sb.kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\ndata:\n  k: v\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: typed\nstringData:\n  k: v\n');
      const [data, thaw, type] = await Promise.all([
        sb.kubectl(['patch', 'cm', 'frozen', '-p', '{"data":{"k":"changed"}}']),
        sb.kubectl(['patch', 'cm', 'frozen', '-p', '{"immutable":false}']),
        sb.kubectl(['patch', 'secret', 'typed', '-p', '{"type":"kubernetes.io/tls"}']),
      ]);
      expect(data.stderr).toBe('The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set\n');
      expect(thaw.stderr).toBe('The ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set\n');
      expect(type.stderr).toBe('The Secret "typed" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable\n');
    });

    test('renaming through a patch or a PUT is 400 with the API server message', async () => {
      await sb.kubectl(['create', 'cm', 'named']);
      const [merge, json] = await Promise.all([
        sb.kubectl(['patch', 'cm', 'named', '-p', '{"metadata":{"name":"renamed"}}']),
        sb.kubectl(['patch', 'cm', 'named', '--type=json', '-p', '[{"op":"replace","path":"/metadata/name","value":"other"}]']),
      ]);
      expect(merge.stderr).toBe('Error from server (BadRequest): the name of the object (renamed) does not match the name on the URL (named)\n');
      expect(json.stderr).toBe('Error from server (BadRequest): the name of the object (other) does not match the name on the URL (named)\n');
      const put = await request(sb, 'PUT', '/api/v1/namespaces/default/configmaps/named', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'moved' } } });
      expect(put.json).toMatchObject({ code: 400, reason: 'BadRequest', message: 'the name of the object (moved) does not match the name on the URL (named)' });
      expect((await sb.kubectl(['get', 'cm', 'renamed'])).code).toBe(1);
    });

    test('invalid names get the full message of the rule their kind uses', async () => {
      const [cm, ns, svc, sts] = await Promise.all([
        sb.kubectl(['create', 'cm', 'Foo_bar']),
        sb.kubectl(['create', 'ns', 'has.dot']),
        sb.kubectl(['create', 'service', 'clusterip', '1abc', '--tcp=80']),
        sb.kubectl(['apply', '-f', '-'], 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: a.b\nspec:\n  serviceName: a\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers: [{name: c, image: busybox}]\n'),
      ]);
      expect(cm.stderr).toBe(
        `error: failed to create configmap: ConfigMap "Foo_bar" is invalid: metadata.name: Invalid value: "Foo_bar": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
      );
      expect(ns.stderr).toBe(
        `The Namespace "has.dot" is invalid: metadata.name: Invalid value: "has.dot": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n`,
      );
      expect(svc.stderr).toBe(
        `error: failed to create ClusterIP service: Service "1abc" is invalid: metadata.name: Invalid value: "1abc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n`,
      );
      expect(sts.stderr).toContain('The StatefulSet "a.b" is invalid: metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of');
    });
  });

  test('kubectl auth can-i and whoami answer for the sandbox admin', async () => {
    const [canI, canIList, whoami] = await Promise.all([
      sb.kubectl(['auth', 'can-i', 'create', 'pods']),
      sb.kubectl(['auth', 'can-i', '--list', '-n', 'seldon-mesh']),
      sb.kubectl(['auth', 'whoami']),
    ]);
    expect(canI).toMatchObject({ code: 0, stdout: 'yes\n', stderr: '' });
    expect(canIList.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/),
      expect.stringMatching(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/),
      expect.stringMatching(/^\s+\[\*\]\s+\[\]\s+\[\*\]$/),
    ]);
    expect(whoami).toMatchObject({
      code: 0,
      stdout: 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n',
    });
  });
});

/** Re-runs `read` until `done` holds; the namespace controller works in the background, as the real one does. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 50): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
