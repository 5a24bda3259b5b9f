import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../steps/apply.js';
import type { ApplyArgs } from '../../src/model.js';
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

describe('apply against kubectl', () => {
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
