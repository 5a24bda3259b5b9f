import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../steps/apply.js';
import { capture } from '../../steps/capture.js';
import { deleteStep } from '../../steps/delete.js';
import { wait } from '../../steps/wait.js';
import { startHarness, type Harness } from '../kube/harness.js';

const docs = ['a', 'b', 'c']
  .map((n) => `apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: ${n}\n  namespace: seldon-mesh\nspec:\n  storageUri: gs://seldon-models/mlserver/iris\n`)
  .join('---\n');
const source = { type: 'stdin' as const, text: docs };

describe('steps under injected API errors (500 and 429 on 40% of requests)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ faultApiErrorRate: 0.4 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('retries reads and apply (idempotent) with backoff and prints what a clean run prints', async () => {
    const created = await apply.run({ source, serverSide: false }, h.ctx());
    expect(created).toMatchObject({ stdout: 'model.mlops.seldon.io/a created\nmodel.mlops.seldon.io/b created\nmodel.mlops.seldon.io/c created\n', stderr: '', exitCode: 0 });
    const again = await apply.run({ source, serverSide: false }, h.ctx());
    expect(again.stdout).toBe('model.mlops.seldon.io/a unchanged\nmodel.mlops.seldon.io/b unchanged\nmodel.mlops.seldon.io/c unchanged\n');
    const ssa = await apply.run({ source, serverSide: true }, h.ctx());
    expect(ssa.stdout).toBe('model.mlops.seldon.io/a serverside-applied\nmodel.mlops.seldon.io/b serverside-applied\nmodel.mlops.seldon.io/c serverside-applied\n');

    const waited = await wait.run(
      { for: { type: 'condition', condition: 'Ready', value: 'True' }, timeoutMs: 10_000, resource: 'model', names: [], all: true, namespace: 'seldon-mesh' },
      h.ctx(),
    );
    expect(waited).toMatchObject({ stdout: 'model.mlops.seldon.io/a condition met\nmodel.mlops.seldon.io/b condition met\nmodel.mlops.seldon.io/c condition met\n', exitCode: 0 });

    const got = await capture.run(
      { variable: 'N', command: '', get: { resource: 'models', namespace: 'seldon-mesh', jsonpath: '{.items[*].metadata.name}' }, firstLine: true, exported: false, displayed: true },
      h.ctx(),
    );
    expect(got).toMatchObject({ stdout: "'a b c'\n", exitCode: 0 });

    const deleted = await deleteStep.run({ target: { type: 'manifests', source }, ignoreNotFound: false, wait: true }, h.ctx());
    expect(deleted).toMatchObject({ stdout: 'model.mlops.seldon.io "a" deleted\nmodel.mlops.seldon.io "b" deleted\nmodel.mlops.seldon.io "c" deleted\n', stderr: '', exitCode: 0 });
  });
});
