import { describe, expect, test } from 'vitest';
import { applyPatchFor } from '../../../src/sandbox/patch/apply.js';
import { JsonPatchError, applyJsonPatch } from '../../../src/sandbox/patch/json-patch.js';
import { mergePatch, strategicMergePatch } from '../../../src/sandbox/patch/merge-patch.js';

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

describe('server-side apply patch', () => {
  test('sets the applied fields and removes those the same manager dropped', () => {
    expect(applyPatchFor({ spec: { a: 1, b: 2 }, metadata: { labels: { x: '1' } } }, { spec: { a: 3 }, metadata: {} })).toEqual({
      spec: { a: 3, b: null },
      metadata: { labels: null },
    });
    expect(applyPatchFor(undefined, { spec: { a: 1 } })).toEqual({ spec: { a: 1 } });
  });
});
