import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { apply } from '../../steps/apply.js';
import type { ApplyArgs } from '../../src/core/model.js';
import { startHarness, type Harness } from '../kube/harness.js';

const model = (uri = 'gs://seldon-models/mlserver/iris', name = 'iris') => `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: ${name}
  namespace: seldon-mesh
spec:
  storageUri: ${uri}
  requirements:
  - sklearn
`;

const service = (port = 80) => `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web, tier: "front & back"}
spec:
  selector:
    app: web
  ports:
  - port: ${port}
    targetPort: 8080
`;

const stdinArgs = (text: string, extra: Partial<ApplyArgs> = {}): ApplyArgs => ({ source: { type: 'stdin', text }, serverSide: false, ...extra });

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

needs('kubectl 1.32').describe('apply against kubectl', () => {
  it('prints created, then unchanged after either tool, then configured, like kubectl', async () => {
    const docs = `${model()}---\n${service()}`;
    const native = await apply.run(stdinArgs(docs), h.ctx());
    expect(native).toMatchObject({ stdout: 'model.mlops.seldon.io/iris created\nservice/web created\n', stderr: '', exitCode: 0 });
    const real = await h.kubectl(['apply', '-f', '-'], { stdin: docs });
    expect(real).toEqual({ stdout: 'model.mlops.seldon.io/iris unchanged\nservice/web unchanged\n', stderr: '', exitCode: 0 });
    const again = await apply.run(stdinArgs(docs), h.ctx());
    expect(again.stdout).toBe(real.stdout);

    const edited = `${model('gs://seldon-models/mlserver/iris2')}---\n${service(81)}`;
    const realEdit = await h.kubectl(['apply', '-f', '-'], { stdin: edited });
    expect(realEdit.stdout).toBe('model.mlops.seldon.io/iris configured\nservice/web configured\n');
    const nativeAfterReal = await apply.run(stdinArgs(edited), h.ctx());
    expect(nativeAfterReal.stdout).toBe('model.mlops.seldon.io/iris unchanged\nservice/web unchanged\n');

    const back = await apply.run(stdinArgs(docs), h.ctx());
    expect(back.stdout).toBe('model.mlops.seldon.io/iris configured\nservice/web configured\n');
    expect(await h.kubectl(['apply', '-f', '-'], { stdin: docs })).toMatchObject({ stdout: 'model.mlops.seldon.io/iris unchanged\nservice/web unchanged\n' });
    // Both tools leave byte-identical last-applied annotations.
    const annotation = await h.kubectl(['get', 'model', 'iris', '-n', 'seldon-mesh', '-o', 'jsonpath={.metadata.annotations}']);
    expect(annotation.stdout).toContain('"kubectl.kubernetes.io/last-applied-configuration"');
  });
});

needs('kubectl 1.32').describe('apply errors against kubectl', () => {
  const cases: [string, string][] = [
    ['an invalid object (one error: kubectl names the object)', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n'],
    ['two errors and a good object in between', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: default}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok2, namespace: nope}\n'],
    ['a missing namespace', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok3, namespace: nope}\n'],
    ['an object without a name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n'],
  ];
  it.each(cases)('reports %s like kubectl and goes on', async (_name, text) => {
    const native = await apply.run(stdinArgs(text), h.ctx());
    const real = await h.kubectl(['apply', '-f', '-'], { stdin: text });
    expect(real.exitCode).toBe(1);
    // The good object was created by the native run first; kubectl then finds it unchanged.
    expect({ stdout: native.stdout.replace(' created', ' unchanged'), stderr: native.stderr, exitCode: native.exitCode }).toEqual(real);
  });

  it('names the unknown kind like kubectl against a real cluster', async () => {
    const native = await apply.run(stdinArgs('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n'), h.ctx());
    expect(native).toMatchObject({
      stderr: 'error: resource mapping not found for name: "w" namespace: "" from "STDIN": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n',
      exitCode: 1,
    });
  });
});

needs('kubectl 1.32').describe('apply sources and modes against kubectl', () => {
  it('applies a folder, -k and server-side like kubectl', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const dir = path.join(h.dir, 'kdir');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'kustomization.yaml'), 'namespace: seldon-mesh\nresources:\n- model.yaml\n');
    await writeFile(path.join(dir, 'model.yaml'), model('gs://seldon-models/mlserver/iris', 'kmodel'));
    const native = await apply.run({ source: { type: 'kustomize', dir: 'kdir' }, serverSide: false }, h.ctx());
    expect(native).toMatchObject({ stdout: 'model.mlops.seldon.io/kmodel created\n', exitCode: 0 });
    expect(await h.kubectl(['apply', '-k', 'kdir'])).toMatchObject({ stdout: 'model.mlops.seldon.io/kmodel unchanged\n', exitCode: 0 });
    const files = await apply.run({ source: { type: 'files', paths: ['kdir'], recursive: false }, serverSide: false }, h.ctx());
    const realFiles = await h.kubectl(['apply', '-f', 'kdir']);
    expect(files).toMatchObject({ stdout: realFiles.stdout, stderr: realFiles.stderr, exitCode: realFiles.exitCode });
    const ssa = await apply.run({ source: { type: 'stdin', text: service(82) }, serverSide: true }, h.ctx());
    const realSsa = await h.kubectl(['apply', '--server-side', '-f', '-'], { stdin: service(82) });
    expect(ssa).toMatchObject({ stdout: realSsa.stdout, stderr: realSsa.stderr, exitCode: 0 });
    expect(ssa.stdout).toBe('service/web serverside-applied\n');
  });
});

needs('kubectl 1.32').describe('apply over objects made without apply', () => {
  it('warns about the missing annotation and configures, like kubectl', async () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: {a: "1"}\n`;
    expect((await h.kubectl(['create', '-f', '-'], { stdin: cm('made-a') })).exitCode).toBe(0);
    expect((await h.kubectl(['create', '-f', '-'], { stdin: cm('made-b') })).exitCode).toBe(0);
    const native = await apply.run(stdinArgs(cm('made-a')), h.ctx());
    const real = await h.kubectl(['apply', '-f', '-'], { stdin: cm('made-b') });
    expect(real.stderr).toMatch(/^Warning: resource configmaps\/made-b is missing/);
    expect(native).toMatchObject({ stdout: real.stdout.replace('made-b', 'made-a'), stderr: real.stderr.replace('made-b', 'made-a'), exitCode: 0 });
    expect((await h.kubectl(['apply', '-f', '-'], { stdin: cm('made-a') })).stdout).toBe('configmap/made-a unchanged\n');
  });
});

needs('kubectl 1.32').describe('strategic merge for built-in kinds', () => {
  const svc = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: multi, namespace: default}
spec:
  selector: {app: multi}
  ports:
${ports}`;
  const spec = async () => JSON.parse((await h.kubectl(['get', 'service', 'multi', '-o', 'jsonpath={.spec}'])).stdout) as unknown;

  it('alternates with kubectl on a Service with keyed ports and leaves the same object', async () => {
    const v1 = svc('  - {name: http, port: 80, targetPort: 8080}\n  - {name: grpc, port: 81}\n');
    const v2 = svc('  - {name: http, port: 80, targetPort: 9090}\n');
    expect((await apply.run(stdinArgs(v1), h.ctx())).stdout).toBe('service/multi created\n');
    expect((await h.kubectl(['apply', '-f', '-'], { stdin: v1 })).stdout).toBe('service/multi unchanged\n');
    expect((await h.kubectl(['apply', '-f', '-'], { stdin: v2 })).stdout).toBe('service/multi configured\n');
    const byKubectl = await spec();
    expect((await apply.run(stdinArgs(v2), h.ctx())).stdout).toBe('service/multi unchanged\n');
    expect((await apply.run(stdinArgs(v1), h.ctx())).stdout).toBe('service/multi configured\n');
    expect((await apply.run(stdinArgs(v2), h.ctx())).stdout).toBe('service/multi configured\n');
    expect(await spec()).toEqual(byKubectl);
    expect((await h.kubectl(['apply', '-f', '-'], { stdin: v2 })).stdout).toBe('service/multi unchanged\n');
  });
});

needs('kubectl 1.32').describe('apply --dry-run', () => {
  it.each([
    ['client', ['--dry-run=client']],
    ['server', ['--dry-run=server']],
  ] as const)('prints what kubectl prints with --dry-run=%s and changes nothing', async (mode, flags) => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry-${mode}, namespace: default}\ndata: {a: "1"}\n`;
    const native = await apply.run(stdinArgs(text, { dryRun: mode }), h.ctx());
    const real = await h.kubectl(['apply', ...flags, '-f', '-'], { stdin: text });
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode });
    expect((await h.kubectl(['get', 'configmap', `dry-${mode}`])).exitCode).toBe(1);
  });
});
