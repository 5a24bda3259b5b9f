import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goJson } from '../../src/core/json.js';
import { lastAppliedAnnotation, threeWayPatch, withLastApplied } from '../../src/kube/three-way.js';

const crd = { strategic: false };
const builtin = { strategic: true };

describe('three-way patch (client-side apply)', () => {
  const original = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' }, spec: { keep: 1, drop: 2, list: [1, 2] } };

  it('is empty when the manifest is what was applied, whatever the server added', () => {
    const current = { ...original, metadata: { name: 'a', uid: 'u', resourceVersion: '5' }, spec: { ...original.spec, defaulted: true }, status: { ok: 1 } };
    expect(threeWayPatch(original, original, current, crd)).toEqual({});
  });

  it('deletes fields removed from the manifest, not fields others set', () => {
    const modified = { ...original, spec: { keep: 1, list: [1, 2] } };
    const current = { ...original, spec: { ...original.spec, other: 'x' } };
    expect(threeWayPatch(original, modified, current, crd)).toEqual({ spec: { drop: null } });
  });

  it('changes scalars and replaces lists of custom kinds whole', () => {
    const modified = { ...original, spec: { keep: 3, drop: 2, list: [1] } };
    expect(threeWayPatch(original, modified, original, crd)).toEqual({ spec: { keep: 3, list: [1] } });
  });

  it('restores a field someone else changed, and adds an explicitly empty map', () => {
    const modified = { ...original, spec: { ...original.spec, empty: {} } };
    const current = { ...original, spec: { ...original.spec, keep: 9 } };
    expect(threeWayPatch(original, modified, current, crd)).toEqual({ spec: { keep: 1, empty: {} } });
  });

  it('treats null in the manifest as a deletion of a previously applied value', () => {
    const modified = { ...original, spec: { ...original.spec, drop: null } };
    expect(threeWayPatch(original, modified, original, crd)).toEqual({ spec: { drop: null } });
  });

  it('compares keyed lists of built-in kinds element-wise, ignoring server defaults', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, name: 'http' }] } };
    const live = { ...svc, spec: { ports: [{ port: 80, name: 'http', protocol: 'TCP', targetPort: 80 }], clusterIP: '10.0.0.1' } };
    expect(threeWayPatch(svc, svc, live, builtin)).toEqual({});
    expect(threeWayPatch(svc, svc, live, crd)).toEqual({ spec: { ports: [{ port: 80, name: 'http' }] } });
    const moved = { ...svc, spec: { ports: [{ port: 81, name: 'http' }] } };
    expect(threeWayPatch(svc, moved, live, builtin)).toEqual({
      spec: { ports: [{ port: 80, $patch: 'delete' }, { port: 81, name: 'http' }], '$setElementOrder/ports': [{ port: 81 }] },
    });
  });

  it('patches only the changed elements of a keyed list, keeping what the server added', () => {
    const deploy = (image: string, env: { name: string; value: string }[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'app', image, env }, { name: 'side', image: 'envoy' }] } } },
    });
    const original = deploy('v1', [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    const modified = deploy('v2', [{ name: 'A', value: '1' }]);
    const live = structuredClone(original) as typeof original & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    live.spec.template.spec.containers[0]!.imagePullPolicy = 'IfNotPresent';
    expect(threeWayPatch(original as never, modified as never, live as never, builtin)).toEqual({
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', env: [{ name: 'B', $patch: 'delete' }], '$setElementOrder/env': [{ name: 'A' }], image: 'v2' }],
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'side' }],
          },
        },
      },
    });
  });

  it('replaces a list the merge-key table does not name whole, even when its items carry a name', () => {
    const ingress = (backend: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ name: 'web', backend }, { name: 'api', backend: 'b' }] } });
    const patch = threeWayPatch(ingress('a'), ingress('c'), ingress('a'), builtin);
    expect(patch).toEqual({ spec: { rules: [{ name: 'web', backend: 'c' }, { name: 'api', backend: 'b' }] } });
  });

  it('merges owner references by uid, with the order directive kubectl sends', () => {
    const owned = (refs: { uid: string; name: string }[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ownerReferences: refs } });
    const before = owned([{ uid: '1', name: 'same' }, { uid: '2', name: 'same' }]);
    const after = owned([{ uid: '2', name: 'same' }]);
    expect(threeWayPatch(before, after, before, builtin)).toEqual({
      metadata: { ownerReferences: [{ uid: '1', $patch: 'delete' }], '$setElementOrder/ownerReferences': [{ uid: '2' }] },
    });
  });
});

describe('last-applied annotation', () => {
  it('matches kubectl byte for byte: sorted keys, empty annotations, HTML escapes, trailing newline', () => {
    const object = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { namespace: 'default', name: 'a' }, data: { z: 'x & <y>', a: '1' } };
    const annotated = withLastApplied(object);
    expect((annotated.metadata as { annotations: Record<string, string> }).annotations[lastAppliedAnnotation]).toBe(
      '{"apiVersion":"v1","data":{"a":"1","z":"x \\u0026 \\u003cy\\u003e"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"a","namespace":"default"}}\n',
    );
  });

  it('never nests an older annotation inside the new one', () => {
    const once = withLastApplied({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a' } });
    const twice = withLastApplied(once);
    expect(twice).toEqual(once);
  });

  it('encodes like Go', () => {
    expect(goJson({ b: [1, 'é', true, null], a: { '\u2028': '\b' } })).toBe('{"a":{"\\u2028":"\\u0008"},"b":[1,"é",true,null]}\n');
  });
});

describe('three-way patch properties (custom kinds: RFC 7386 merge patch)', () => {
  type J = null | boolean | number | string | J[] | { [k: string]: J };
  const key = fc.constantFrom('a', 'b', 'c', 'd');
  const leaf = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'), fc.boolean());
  const { tree } = fc.letrec<{ tree: Record<string, J> }>((tie) => ({
    tree: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, fc.array(leaf, { maxLength: 2 }), tie('tree')), { maxKeys: 3 }),
  }));

  const mergePatch = (target: J, patch: J): J => {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
    const out: Record<string, J> = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = mergePatch(out[k] ?? null, v);
    }
    return out;
  };
  const leaves = (o: J, prefix = ''): [string, J][] =>
    o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length > 0 ? Object.entries(o).flatMap(([k, v]) => leaves(v, `${prefix}/${k}`)) : [[prefix, o]];
  const at = (o: J, path: string): J | undefined =>
    path
      .split('/')
      .slice(1)
      .reduce<J | undefined>((cur, k) => (cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[k] : undefined), o);

  it('is empty when nothing changed', () => {
    fc.assert(fc.property(tree, (x) => Object.keys(threeWayPatch(x, x, x, crd)).length === 0));
  });

  it('makes every field of the manifest hold, and removes what the manifest dropped', () => {
    fc.assert(
      fc.property(tree, tree, tree, (original, modified, current) => {
        const patched = mergePatch(current, threeWayPatch(original, modified, current, crd));
        for (const [path, value] of leaves(modified)) {
          // An empty map in the manifest only creates the field; kubectl never empties a live map with it.
          const emptyMap = value !== null && typeof value === 'object' && !Array.isArray(value);
          if (path === '' || emptyMap) continue;
          expect(at(patched, path)).toEqual(value);
        }
        for (const [path] of leaves(original)) {
          if (path === '' || at(modified, path) !== undefined) continue;
          // A field applied before and dropped from the manifest is gone, unless a parent is a non-map value now.
          const parentIsValue = path
            .split('/')
            .slice(1, -1)
            .some((_, i, parts) => {
              const v = at(modified, `/${parts.slice(0, i + 1).join('/')}`);
              return v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0);
            });
          if (!parentIsValue) expect(at(patched, path)).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });
});
