import { describe, expect, test } from 'vitest';
import { applySchema } from '../../../src/sandbox/store/schema.js';
import { Store } from '../../../src/sandbox/store/store.js';
import { seed } from '../../../src/sandbox/seed.js';
import { PIPELINE_CRD } from '../../../src/sandbox/seldon/crds/kinds.js';
import type { Schema } from '../../../src/sandbox/store/schema.js';

const pipelineSchema = (PIPELINE_CRD.spec as { versions: { schema: { openAPIV3Schema: Schema } }[] }).versions[0]!.schema.openAPIV3Schema;

describe('structural schemas', () => {
  test('prunes unknown fields at any depth and names them with array indexes', () => {
    const result = applySchema(pipelineSchema, {
      apiVersion: 'mlops.seldon.io/v1alpha1',
      kind: 'Pipeline',
      metadata: { name: 'p', anything: 'kept' },
      spec: { steps: [{ name: 'a' }, { nme: 'b', name: 'b', tensorMap: { 'a.outputs.X': 'Y' } }], outptu: {} },
    });
    expect(result.unknown).toEqual(['spec.steps[1].nme', 'spec.outptu']);
    expect(result.errors).toEqual([]);
    expect(result.pruned).toEqual({
      apiVersion: 'mlops.seldon.io/v1alpha1',
      kind: 'Pipeline',
      metadata: { name: 'p', anything: 'kept' },
      // inputsJoinType comes from the CRD's default, filled in as the API server's structural defaulting does.
      spec: { steps: [{ name: 'a', inputsJoinType: 'inner' }, { name: 'b', tensorMap: { 'a.outputs.X': 'Y' }, inputsJoinType: 'inner' }] },
    });
  });

  test('reports types, required fields and enums as the API server words them', () => {
    const result = applySchema(pipelineSchema, { spec: { steps: [{ inputsJoinType: 'sideways', joinWindowMs: 'soon' }] } });
    expect(result.errors.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.steps[0].name: Required value',
      'spec.steps[0].inputsJoinType: Unsupported value: "sideways": supported values: "inner", "outer", "any"',
      'spec.steps[0].joinWindowMs: Invalid value: "string": spec.steps[0].joinWindowMs in body must be of type integer: "string"',
    ]);
  });

  test('the store fails Strict writes, warns on Warn, and keeps Ignore quiet; all prune', () => {
    const store = new Store();
    seed(store);
    const type = store.types.byKind('mlops.seldon.io', 'Pipeline')!;
    const object = (name: string) => ({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Pipeline', metadata: { name, namespace: 'default' }, spec: { steps: [{ name: 'a' }], stray: 1 } });
    expect(() => store.create(type, object('strict'), { fieldValidation: 'Strict' })).toThrow(
      'Pipeline in version "v1alpha1" cannot be handled as a Pipeline: strict decoding error: unknown field "spec.stray"',
    );
    const warnings: string[] = [];
    const warned = store.create(type, object('warn'), { fieldValidation: 'Warn', warnings });
    expect(warnings).toEqual(['unknown field "spec.stray"']);
    expect(warned.spec).toEqual({ steps: [{ name: 'a', inputsJoinType: 'inner' }] });
    const quiet: string[] = [];
    store.create(type, object('ignore'), { fieldValidation: 'Ignore', warnings: quiet });
    expect(quiet).toEqual([]);
  });

  test('finalizers hold a deleted object until the last one is removed', () => {
    const store = new Store();
    seed(store);
    const type = store.types.byKind('', 'ConfigMap')!;
    store.create(type, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'default', finalizers: ['a', 'b'] } });
    const marked = store.delete(type, 'default', 'held');
    expect(marked.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(store.delete(type, 'default', 'held').metadata.resourceVersion).toBe(marked.metadata.resourceVersion);
    const one = store.update(type, { ...marked, metadata: { ...marked.metadata, finalizers: ['b'], deletionTimestamp: undefined } });
    expect(one.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    store.update(type, { ...one, metadata: { ...one.metadata, finalizers: [] } });
    expect(store.find(type, 'default', 'held')).toBeUndefined();
  });
});
