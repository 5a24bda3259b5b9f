import { describe, expect, test } from 'vitest';
import { FieldSet, pathString } from '../../../src/sandbox/apply/field-set.js';
import { compare, merge, removePaths, toFieldSet } from '../../../src/sandbox/apply/typed.js';
import { builtinSchema } from '../../../src/sandbox/schema/definitions.js';

const service = builtinSchema('', 'v1', 'Service');

describe('field sets as server-side apply reads objects', () => {
  test('an applied Service owns its leaves and keyed items; a port key takes its protocol default', () => {
    const set = toFieldSet({ metadata: { labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } }, service);
    expect(set.toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } },
        // An atomic map (x-kubernetes-map-type: atomic) is one leaf.
        'f:selector': {},
      },
    });
    expect(FieldSet.fromFieldsV1(set.toFieldsV1()).toFieldsV1()).toEqual(set.toFieldsV1());
  });

  test('conflict paths print as the API server prints them', () => {
    expect(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:targetPort'])).toBe('.spec.ports[port=80,protocol="TCP"].targetPort');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"a"'])).toBe('.metadata.finalizers[="a"]');
  });

  test('compare marks whole new maps and items as added, changed leaves as modified', () => {
    const before = { spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } };
    const after = { metadata: { labels: { a: 'b' } }, spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }, { port: 81, protocol: 'TCP' }] } };
    const { added, modified, removed } = compare(before, after, service);
    expect(added.toFieldsV1()).toEqual({
      // metadata was not there at all, so it is added itself ('.'), as are labels.
      'f:metadata': { '.': {}, 'f:labels': { '.': {}, 'f:a': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":81,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} } } },
    });
    expect(modified.toFieldsV1()).toEqual({ 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:targetPort': {} } } } });
    expect(removed.size).toBe(0);
  });

  test('merge keeps live items and merges by key; removing an item takes it whole', () => {
    const live = { spec: { ports: [{ port: 80, protocol: 'TCP', name: 'a' }, { port: 81, protocol: 'TCP', name: 'b' }], selector: { x: '1', y: '2' } } };
    const merged = merge(live, { spec: { ports: [{ port: 81, targetPort: 9000 }], selector: { z: '3' } } }, service) as typeof live;
    expect(merged.spec.ports).toEqual([{ port: 80, protocol: 'TCP', name: 'a' }, { port: 81, protocol: 'TCP', name: 'b', targetPort: 9000 }]);
    expect(merged.spec.selector).toEqual({ z: '3' });
    const removed = removePaths(merged, [['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}'], ['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:name']], service) as typeof live;
    expect(removed.spec.ports).toEqual([{ port: 81, protocol: 'TCP', name: 'b', targetPort: 9000 }]);
  });
});
