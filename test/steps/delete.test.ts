import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { apply } from '../../steps/apply.js';
import { deleteStep } from '../../steps/delete.js';
import type { DeleteArgs } from '../../src/core/model.js';
import { startHarness, type Harness } from '../kube/harness.js';

const docs = (prefix: string) => `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: ${prefix}-model
  namespace: seldon-mesh
spec:
  storageUri: gs://seldon-models/mlserver/iris
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${prefix}-config
data:
  a: "1"
`;

const byManifest = (text: string, extra: Partial<DeleteArgs> = {}): DeleteArgs => ({
  target: { type: 'manifests', source: { type: 'stdin', text } },
  ignoreNotFound: false,
  wait: true,
  ...extra,
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function applyText(text: string) {
  expect((await apply.run({ source: { type: 'stdin', text }, serverSide: false }, h.ctx())).exitCode).toBe(0);
}

needs('kubectl 1.32').describe('delete against kubectl', () => {
  it('deletes manifests, waits until gone, and prints what kubectl prints', async () => {
    await applyText(docs('a'));
    await applyText(docs('b'));
    const native = await deleteStep.run(byManifest(docs('a')), h.ctx());
    const real = await h.kubectl(['delete', '-f', '-'], { stdin: docs('b') });
    expect(native).toMatchObject({ stdout: 'model.mlops.seldon.io "a-model" deleted\nconfigmap "a-config" deleted\n', stderr: '', exitCode: 0 });
    expect(real).toEqual({ stdout: native.stdout.replaceAll('a-', 'b-'), stderr: '', exitCode: 0 });
    expect((await h.kubectl(['get', 'model', 'a-model', '-n', 'seldon-mesh'])).exitCode).toBe(1);
    expect(native.data).toMatchObject({ type: 'objects', objects: [{ name: 'a-model', outcome: 'deleted' }, { name: 'a-config', outcome: 'deleted' }] });
  });

  it('reports missing objects like kubectl, by manifest and by name, unless --ignore-not-found', async () => {
    const native = await deleteStep.run(byManifest(docs('zz')), h.ctx());
    const real = await h.kubectl(['delete', '-f', '-'], { stdin: docs('zz') });
    expect(native).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode });
    expect(native.exitCode).toBe(1);

    const names: DeleteArgs = { target: { type: 'names', resource: 'model', names: ['iris'], all: false }, namespace: 'seldon-mesh', ignoreNotFound: false, wait: true };
    const nativeNames = await deleteStep.run(names, h.ctx());
    expect(nativeNames.stderr).toBe('Error from server (NotFound): models.mlops.seldon.io "iris" not found\n');
    const realNames = await h.kubectl(['delete', 'model', 'iris', '-n', 'seldon-mesh']);
    expect(nativeNames).toMatchObject({ stdout: realNames.stdout, stderr: realNames.stderr, exitCode: 1 });

    const ignored = await deleteStep.run({ ...names, ignoreNotFound: true }, h.ctx());
    const realIgnored = await h.kubectl(['delete', 'model', 'iris', '-n', 'seldon-mesh', '--ignore-not-found']);
    expect(ignored).toMatchObject({ stdout: realIgnored.stdout, stderr: realIgnored.stderr, exitCode: 0 });
  });

  it('deletes a selection and says so when there is none, like kubectl', async () => {
    await applyText(docs('c'));
    const all: DeleteArgs = { target: { type: 'names', resource: 'models', names: [], all: true }, namespace: 'seldon-mesh', ignoreNotFound: false, wait: false };
    const native = await deleteStep.run(all, h.ctx());
    expect(native.stdout).toBe('model.mlops.seldon.io "c-model" deleted\n');
    const real = await h.kubectl(['delete', 'models', '--all', '-n', 'seldon-mesh']);
    const nativeNone = await deleteStep.run(all, h.ctx());
    expect(nativeNone).toMatchObject({ stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode });
  });
});

needs('kustomize|kubectl').describe('the seed section: build, apply and delete of one kustomization', () => {
  it('builds once and prints what `kustomize build DIR | kubectl apply/delete -f -` prints', async () => {
    const { cp } = await import('node:fs/promises');
    const path = await import('node:path');
    await cp(path.resolve('runbooks/config'), path.join(h.dir, 'config'), { recursive: true });
    const ctx = h.ctx();
    const source = { type: 'build' as const, dir: 'config/single-model', tool: 'kustomize' as const };
    const applied = await apply.run({ source, serverSide: false }, ctx);
    const builds = [...ctx.cache.keys()].filter((k) => k.startsWith('kube:build:'));
    const built = await h.kubectl(['kustomize', 'config/single-model']);
    const real = await h.kubectl(['apply', '-f', '-'], { stdin: built.stdout });
    expect(applied.stdout).toBe(real.stdout.replaceAll('unchanged', 'created'));
    expect(applied.stdout).toMatch(/^gateway\.networking\.istio\.io\/seldon-gateway created\n/m);
    const deleted = await deleteStep.run({ target: { type: 'manifests', source }, ignoreNotFound: false, wait: true }, ctx);
    expect([...ctx.cache.keys()].filter((k) => k.startsWith('kube:build:'))).toEqual(builds);
    expect(deleted.stdout).toBe(applied.stdout.replace(/^(\S+)\/(\S+) created$/gm, '$1 "$2" deleted'));
    const realDelete = await h.kubectl(['delete', '-f', '-'], { stdin: built.stdout });
    expect(realDelete).toMatchObject({ stdout: '', exitCode: 1 });
    expect(realDelete.stderr).toMatch(/^Error from server \(NotFound\): error when deleting "STDIN": /);
    const nativeAgain = await deleteStep.run({ target: { type: 'manifests', source }, ignoreNotFound: false, wait: true }, ctx);
    expect(nativeAgain).toMatchObject({ stdout: realDelete.stdout, stderr: realDelete.stderr, exitCode: 1 });
  });
});
