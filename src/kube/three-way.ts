/**
 * kubectl's client-side apply patch: a three-way diff of the last applied configuration (original), the manifest
 * (modified) and the live object (current). Additions and changes come from current→modified, deletions only from
 * original→modified, so fields the server or other clients set are left alone.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The annotation kubectl keeps the last applied manifest in. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Lists that built-in kinds merge by a key (strategic merge), by field name. Lists of objects not named here
 * merge by `name` when every element has one; other lists are replaced whole, as strategic merge does.
 */
const mergeKeys: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  imagePullSecrets: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  hostAliases: ['ip'],
  // Container ports merge by containerPort, Service ports by port.
  ports: ['containerPort', 'port'],
  conditions: ['type'],
  topologySpreadConstraints: ['topologyKey'],
};

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
      const mergeKey = strategic ? listMergeKey(key, bv, has ? av : undefined) : undefined;
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

function listMergeKey(field: string, b: Json[], a: Json | undefined): string | undefined {
  const items = [...b, ...(Array.isArray(a) ? a : [])];
  if (items.length === 0 || !items.every(isObject)) return undefined;
  return (mergeKeys[field] ?? ['name']).find((key) => items.every((item) => isObject(item) && Object.hasOwn(item, key)));
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

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ak = Object.keys(a);
    return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * JSON as Go's encoding/json writes a map (kubectl's last-applied annotation): keys sorted, `<>&` and U+2028/9
 * escaped, control characters as \u00XX, and a trailing newline from json.Encoder.
 */
export function goJson(value: unknown): string {
  return `${encode(value)}\n`;
}

function encode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${goString(k)}:${encode((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // Go escapes other control characters, HTML-significant characters and the JS line separators as \u00XX.
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || ch === '\u2028' || ch === '\u2029') out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
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
