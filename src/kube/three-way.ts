/**
 * kubectl's client-side apply patch: a three-way diff of the last applied configuration (original), the manifest
 * (modified) and the live object (current). Additions and changes come from current→modified, deletions only from
 * original→modified, so fields the server or other clients set are left alone.
 */
import { deepEqual, goJson, isObject, type Json, type JsonObject } from '../core/json.js';
import { mergeKeyFor } from '../core/merge-keys.js';

/** The annotation kubectl keeps the last applied manifest in. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

export interface PatchOptions {
  /** Built-in kinds: a strategic merge patch (keyed lists patched element-wise); otherwise a JSON merge patch. */
  strategic: boolean;
}

/** The patch to send, `{}` when nothing changed. For custom kinds this is exactly kubectl's JSON merge patch. */
export function threeWayPatch(original: JsonObject | undefined, modified: JsonObject, current: JsonObject, options: PatchOptions): JsonObject {
  const addAndChange = diff(current, modified, 'changes', options.strategic) ?? {};
  const deletions = diff(original ?? {}, modified, 'deletions', options.strategic) ?? {};
  return mergeInto(deletions, addAndChange);
}

type Mode = 'changes' | 'deletions';

/** The part of the merge patch from `a` to `b` that `mode` keeps; undefined when empty. */
function diff(a: JsonObject, b: JsonObject, mode: Mode, strategic: boolean): JsonObject | undefined {
  const patch: JsonObject = {};
  for (const [key, bv] of Object.entries(b)) {
    const has = Object.hasOwn(a, key);
    const av = a[key];
    if (isObject(bv)) {
      if (has && isObject(av)) {
        // An explicitly empty map is a value to add, never a patch that clears (kubectl's keepOrDeleteNull).
        if (mode === 'changes' && Object.keys(bv).length === 0) continue;
        const sub = diff(av, bv, mode, strategic);
        if (sub) patch[key] = sub;
      } else if (mode === 'changes') {
        patch[key] = dropNulls(bv);
      }
    } else if (Array.isArray(bv)) {
      // The live list's items count too: a key the manifest's items carry but the server's lack cannot merge them.
      const mergeKey = strategic ? mergeKeyFor(key, [...bv, ...(has && Array.isArray(av) ? av : [])]) : undefined;
      if (mergeKey && Array.isArray(av)) {
        const items = keyedListPatch(mergeKey, av, bv, mode);
        if (items.length > 0) {
          patch[key] = items;
          // Strategic merge keeps the manifest's order with this directive, as kubectl sends it.
          patch[`$setElementOrder/${key}`] = bv.map((item) => ({ [mergeKey]: (item as JsonObject)[mergeKey] ?? null }));
        }
      } else if (mode === 'changes' && !deepEqual(av, bv)) {
        patch[key] = bv;
      }
    } else if (bv === null) {
      // Null in a manifest removes a field that was applied before; it never counts as an addition.
      if (mode === 'deletions' && has && av !== null) patch[key] = null;
    } else if (mode === 'changes' && (!has || !deepEqual(av, bv))) {
      patch[key] = bv;
    }
  }
  if (mode === 'deletions') {
    for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * A strategic-merge list patch over a list merged by `key`: changed or new elements (each with its key), and in
 * deletion mode `$patch: delete` for elements the manifest dropped.
 */
function keyedListPatch(key: string, a: Json[], b: Json[], mode: Mode): JsonObject[] {
  const id = (item: Json) => JSON.stringify((item as JsonObject)[key]);
  const before = new Map(a.filter(isObject).map((item) => [id(item), item]));
  const items: JsonObject[] = [];
  for (const item of b.filter(isObject)) {
    const match = before.get(id(item));
    if (!match) {
      if (mode === 'changes') items.push(dropNulls(item));
      continue;
    }
    const sub = diff(match, item, mode, true);
    if (sub) items.push({ [key]: item[key] ?? null, ...sub });
  }
  if (mode === 'deletions') {
    const kept = new Set(b.map(id));
    for (const [k, item] of before) if (!kept.has(k)) items.push({ [key]: item[key] ?? null, $patch: 'delete' });
  }
  return items;
}

/** RFC 7386 merge of `patch` into a copy of `doc` (neither has nulls to apply here but deletions' markers). */
function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...doc };
  for (const [key, value] of Object.entries(patch)) {
    const existing = out[key];
    if (isObject(value) && isObject(existing)) out[key] = mergeInto(existing, value);
    else if (Array.isArray(value) && Array.isArray(existing) && !key.startsWith('$')) out[key] = mergeListPatches(existing, value);
    else out[key] = value;
  }
  return out;
}

/** Deletions' and changes' element patches of one keyed list: one entry per key (the key is each entry's first field). */
function mergeListPatches(a: Json[], b: Json[]): Json[] {
  const idOf = (item: Json) => (isObject(item) ? JSON.stringify(Object.entries(item)[0]) : JSON.stringify(item));
  const out = [...a];
  for (const item of b) {
    const at = out.findIndex((x) => idOf(x) === idOf(item));
    if (at === -1) out.push(item);
    else out[at] = isObject(out[at]) && isObject(item) ? mergeInto(out[at], item) : item;
  }
  return out;
}

function dropNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = isObject(v) ? dropNulls(v) : v;
  }
  return out;
}

/**
 * The manifest as kubectl sends it, annotated with itself: serialised once without the annotation (with
 * `annotations: {}` when there were none, as kubectl's encoder leaves it) and embedded as the annotation.
 */
export function withLastApplied(object: JsonObject): JsonObject {
  const metadata = isObject(object.metadata) ? { ...object.metadata } : {};
  const annotations: JsonObject = isObject(metadata.annotations) ? { ...metadata.annotations } : {};
  delete annotations[lastAppliedAnnotation];
  const bare = { ...object, metadata: { ...metadata, annotations } };
  const applied = goJson(bare);
  return { ...object, metadata: { ...metadata, annotations: { ...annotations, [lastAppliedAnnotation]: applied } } };
}
