import { describe, expect, test } from 'vitest';
import { applyPatchFor } from '../../../src/sandbox/patch/apply.js';
import { JsonPatchError, applyJsonPatch } from '../../../src/sandbox/patch/json-patch.js';
import { mergePatch, strategicMergePatch } from '../../../src/sandbox/patch/merge-patch.js';
import { threeWayPatch } from '../../../src/kube/three-way.js';
import type { JsonObject } from '../../../src/core/json.js';

describe('merge patch (RFC 7386)', () => {
  test('merges objects, deletes on null, replaces lists and scalars', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2], s: 'x' }, { a: { b: null, d: 3 }, l: [3], s: 'y' })).toEqual({ a: { c: 2, d: 3 }, l: [3], s: 'y' });
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
  });
});

describe('JSON patch (RFC 6902)', () => {
  test('applies add, remove, replace, move, copy and test, leaving the input alone', () => {
    const doc = { a: [1, 2], b: { c: 'x' } };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'add', path: '/a/0', value: 0 },
      { op: 'remove', path: '/a/1' },
      { op: 'replace', path: '/b/c', value: 'y' },
      { op: 'copy', from: '/b', path: '/d' },
      { op: 'move', from: '/d/c', path: '/e~1f' },
      { op: 'test', path: '/e~1f', value: 'y' },
    ]);
    expect(out).toEqual({ a: [0, 2, 3], b: { c: 'y' }, d: {}, 'e/f': 'y' });
    expect(doc).toEqual({ a: [1, 2], b: { c: 'x' } });
  });
  test('fails on a failed test or a missing path', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(JsonPatchError);
  });
  test('test compares values, whatever the key order of an object', () => {
    const doc = { m: { a: 1, b: [1, { c: 2, d: 3 }] } };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/m', value: { b: [1, { d: 3, c: 2 }], a: 1 } }])).toEqual(doc);
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/m', value: { b: [{ d: 3, c: 2 }, 1], a: 1 } }])).toThrow(JsonPatchError);
  });
});

describe('strategic merge patch', () => {
  test('merges named lists by key and honours directives', () => {
    const live = {
      spec: {
        containers: [{ name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'b:1' }],
        finalizers: ['f1', 'f2'],
        args: ['--x'],
      },
    };
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'c' }],
        containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }, { name: 'b', $patch: 'delete' }, { name: 'c', image: 'c:1' }],
        '$deleteFromPrimitiveList/finalizers': ['f1'],
        args: ['--y'],
      },
    };
    expect(strategicMergePatch(live, patch)).toEqual({
      spec: {
        containers: [{ name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }, { name: 'c', image: 'c:1' }],
        finalizers: ['f2'],
        args: ['--y'],
      },
    });
    expect(strategicMergePatch({ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } })).toEqual({ m: { c: 3 } });
    expect(strategicMergePatch({ m: { a: 1, b: 2 }, n: 1 }, { $retainKeys: ['m'], m: { a: 5 } })).toEqual({ m: { a: 5, b: 2 } });
  });
});

describe('strategic merge keys (the table client-side apply uses too)', () => {
  test('Service ports merge on port, container ports on containerPort', () => {
    const service = { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090 }] } };
    expect(strategicMergePatch(service, { spec: { ports: [{ port: 80, name: 'web' }] } })).toEqual({
      spec: { ports: [{ name: 'web', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090 }] },
    });
    const container = { ports: [{ containerPort: 80, protocol: 'TCP' }] };
    expect(strategicMergePatch(container, { ports: [{ containerPort: 8080 }, { containerPort: 80, name: 'http' }] })).toEqual({
      ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 8080 }],
    });
  });

  test('topology spread constraints merge on topologyKey; lists outside the table are replaced whole', () => {
    const spec = {
      topologySpreadConstraints: [
        { topologyKey: 'zone', maxSkew: 1 },
        { topologyKey: 'host', maxSkew: 1 },
      ],
      readinessGates: [{ conditionType: 'a' }],
    };
    expect(strategicMergePatch(spec, { topologySpreadConstraints: [{ topologyKey: 'host', maxSkew: 2 }], readinessGates: [{ conditionType: 'b' }] })).toEqual({
      topologySpreadConstraints: [
        { topologyKey: 'zone', maxSkew: 1 },
        { topologyKey: 'host', maxSkew: 2 },
      ],
      readinessGates: [{ conditionType: 'b' }],
    });
  });

  test("the server applying the client's three-way patch arrives at the manifest, keeping what the server and other clients set", () => {
    const deployment = (container: JsonObject, constraints: JsonObject[]): JsonObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'web', ...container }], topologySpreadConstraints: constraints } } },
    });
    const env = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
    const applied = deployment({ image: 'web:1', ports: [{ containerPort: 80 }], env: env(['A', '1'], ['B', '2']) }, [{ topologyKey: 'zone', maxSkew: 1 }]);
    // The server defaulted fields, and another client added a constraint: a keyed list keeps it, a list replaced whole would lose it.
    const live = deployment({ image: 'web:1', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }], env: env(['A', '1'], ['B', '2']) }, [
      { topologyKey: 'zone', maxSkew: 1 },
      { topologyKey: 'host', maxSkew: 1 },
    ]);
    const manifest = deployment({ image: 'web:2', ports: [{ containerPort: 80 }, { containerPort: 9090 }], env: env(['A', '1'], ['C', '3']) }, [{ topologyKey: 'zone', maxSkew: 2 }]);

    const patch = threeWayPatch(applied, manifest, live, { strategic: true });
    const merged = strategicMergePatch(live, patch) as { spec: { template: { spec: JsonObject } } };
    expect(merged.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'web:2', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090 }], env: env(['A', '1'], ['C', '3']) },
    ]);
    expect(merged.spec.template.spec.topologySpreadConstraints).toEqual([
      { topologyKey: 'zone', maxSkew: 2 },
      { topologyKey: 'host', maxSkew: 1 },
    ]);
  });
});

describe('server-side apply patch', () => {
  test('sets the applied fields and removes those the same manager dropped', () => {
    expect(applyPatchFor({ spec: { a: 1, b: 2 }, metadata: { labels: { x: '1' } } }, { spec: { a: 3 }, metadata: {} })).toEqual({
      spec: { a: 3, b: null },
      metadata: { labels: null },
    });
    expect(applyPatchFor(undefined, { spec: { a: 1 } })).toEqual({ spec: { a: 1 } });
  });
});
