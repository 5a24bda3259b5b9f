/**
 * Objects read through their schema the way server-side apply reads them: which nodes are leaves, which maps and
 * lists are merged item by item (a list keyed by `x-kubernetes-list-map-keys`, a set) and which are replaced
 * whole (atomic). Where no schema speaks (a field kept by `x-kubernetes-preserve-unknown-fields`), maps are
 * granular and lists atomic, as the API server deduces them.
 */
import { deepEqual, isObject } from '../../core/json.js';
import { resolve } from '../schema/definitions.js';
import type { Schema } from '../store/schema.js';
import type { FieldPath } from './field-set.js';
import { FieldSet, sortedJson } from './field-set.js';

type Shape =
  | { kind: 'leaf' }
  | { kind: 'map'; schema?: Schema }
  | { kind: 'list'; type: 'map'; items?: Schema; keys: string[] }
  | { kind: 'list'; type: 'set' };

function shapeOf(declared: Schema | undefined, value: unknown): Shape {
  const schema = declared ? resolve(declared) : undefined;
  if (!schema || (!schema.type && !schema.properties && !schema.items && schema.additionalProperties === undefined)) {
    if (schema?.oneOf || schema?.anyOf || schema?.['x-kubernetes-int-or-string']) return { kind: 'leaf' };
    return isObject(value) ? { kind: 'map' } : { kind: 'leaf' };
  }
  if (schema['x-kubernetes-map-type'] === 'atomic') return { kind: 'leaf' };
  if (schema.type === 'array' || schema.items) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'map') return { kind: 'list', type: 'map', items: schema.items, keys: schema['x-kubernetes-list-map-keys'] ?? [] };
    if (listType === 'set') return { kind: 'list', type: 'set' };
    return { kind: 'leaf' };
  }
  if (schema.type === 'object' || schema.properties || schema.additionalProperties !== undefined) return { kind: 'map', schema };
  return { kind: 'leaf' };
}

/** The schema of a map's key, and whether the key is a declared field (not a map entry). */
function childOf(schema: Schema | undefined, key: string): { schema?: Schema; declared: boolean } {
  const known = schema?.properties?.[key];
  if (known) return { schema: known, declared: true };
  const additional = schema?.additionalProperties;
  return { schema: isObject(additional) ? additional : undefined, declared: false };
}

/** An item's `k:` element: its key fields, defaulted from the item schema when left out (a port's protocol). */
export function keyElement(item: unknown, keys: string[], items: Schema | undefined): string {
  const props = items ? resolve(items).properties : undefined;
  const fields: Record<string, unknown> = {};
  for (const key of keys) {
    const value = isObject(item) ? (item[key] ?? props?.[key]?.default) : undefined;
    if (value !== undefined) fields[key] = value;
  }
  return `k:${sortedJson(fields)}`;
}

const emptyish = (v: unknown) => v === undefined || v === null || (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);

/** The fields a value sets: what an applier owns after applying it (structured-merge-diff's ToFieldSet). */
export function toFieldSet(value: unknown, schema: Schema | undefined): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, s: Schema | undefined, path: string[]): void => {
    const shape = shapeOf(s, v);
    if (shape.kind === 'leaf' || v === null) {
      set.insert(path);
    } else if (shape.kind === 'list') {
      for (const item of Array.isArray(v) ? v : []) {
        if (shape.type === 'set') set.insert([...path, `v:${sortedJson(item)}`]);
        else {
          const itemPath = [...path, keyElement(item, shape.keys, shape.items)];
          walk(item, shape.items, itemPath);
          set.insert(itemPath);
        }
      }
    } else if (isObject(v)) {
      for (const [key, child] of Object.entries(v)) {
        const { schema: cs, declared } = childOf(shape.schema, key);
        const childPath = [...path, `f:${key}`];
        walk(child, cs, childPath);
        if (child === null || (isObject(child) && Object.keys(child).length === 0) || !declared) set.insert(childPath);
      }
    }
  };
  walk(value, schema, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed from `before` to `after`; a map or list item that appears whole is itself added. */
export function compare(before: unknown, after: unknown, schema: Schema | undefined): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (a: unknown, b: unknown, path: string[]) => {
    if (a === undefined && b !== undefined) out.added.insert(path);
    else if (b === undefined && a !== undefined) out.removed.insert(path);
    else if (!deepEqual(a, b)) out.modified.insert(path);
  };
  const walk = (a: unknown, b: unknown, s: Schema | undefined, path: string[]): void => {
    if (a === undefined && b === undefined) return;
    const shape = shapeOf(s, b ?? a);
    if (shape.kind === 'leaf' || (emptyish(a) && emptyish(b))) return leaf(a, b, path);
    if (shape.kind === 'list') {
      const index = (list: unknown) => {
        const items = new Map<string, unknown>();
        for (const item of Array.isArray(list) ? list : []) items.set(shape.type === 'set' ? `v:${sortedJson(item)}` : keyElement(item, shape.keys, shape.items), item);
        return items;
      };
      const [ia, ib] = [index(a), index(b)];
      for (const key of new Set([...ib.keys(), ...ia.keys()])) {
        if (shape.type === 'set') leaf(ia.get(key), ib.get(key), [...path, key]);
        else walk(ia.get(key), ib.get(key), shape.items, [...path, key]);
      }
    } else {
      const ma = isObject(a) ? a : {};
      const mb = isObject(b) ? b : {};
      for (const key of new Set([...Object.keys(mb), ...Object.keys(ma)])) walk(ma[key], mb[key], childOf(shape.schema, key).schema, [...path, `f:${key}`]);
    }
    if (a === undefined) out.added.insert(path);
    else if (b === undefined) out.removed.insert(path);
  };
  walk(before, after, schema, []);
  return out;
}

/** `live` with `config` applied over it: maps and keyed lists merge item by item, everything else is replaced. */
export function merge(live: unknown, config: unknown, schema: Schema | undefined): unknown {
  if (config === undefined) return live;
  const shape = shapeOf(schema, config);
  if (shape.kind === 'leaf' || config === null) return config;
  if (shape.kind === 'list') {
    const result = Array.isArray(live) ? [...(live as unknown[])] : [];
    const keyOf = (item: unknown) => (shape.type === 'set' ? sortedJson(item) : keyElement(item, shape.keys, shape.items));
    for (const item of Array.isArray(config) ? config : []) {
      const at = result.findIndex((existing) => keyOf(existing) === keyOf(item));
      if (at < 0) result.push(item);
      else if (shape.type === 'map') result[at] = merge(result[at], item, shape.items);
    }
    return result;
  }
  const result: Record<string, unknown> = isObject(live) ? { ...live } : {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) result[key] = merge(result[key], value, childOf(shape.schema, key).schema);
  return result;
}

/** `object` without the nodes at `paths` (the API server's RemoveItems): fields deleted, list items spliced out. */
export function removePaths(object: unknown, paths: Iterable<FieldPath>, schema: Schema | undefined): unknown {
  const copy = structuredClone(object);
  // Shortest first: a list item goes whole before its fields could be removed one by one (which would orphan its key).
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    let node: unknown = copy;
    let s = schema;
    for (let i = 0; i < path.length && node !== undefined; i++) {
      const element = path[i]!;
      const last = i === path.length - 1;
      const shape = shapeOf(s, node);
      if (element.startsWith('f:') && isObject(node)) {
        const key = element.slice(2);
        if (last) delete node[key];
        s = childOf(shape.kind === 'map' ? shape.schema : undefined, key).schema;
        node = last ? undefined : node[key];
      } else if (Array.isArray(node) && shape.kind === 'list') {
        const at = node.findIndex((item) => (shape.type === 'set' ? `v:${sortedJson(item)}` : keyElement(item, shape.keys, shape.items)) === element);
        if (at >= 0 && last) node.splice(at, 1);
        s = shape.type === 'map' ? shape.items : undefined;
        node = at >= 0 && !last ? node[at] : undefined;
      } else node = undefined;
    }
  }
  return copy;
}

/**
 * What a built-in kind's object is before anything is set, as Go writes a zero struct: struct fields
 * (`default: {}`) as zero structs, other fields without omitempty (the schema's required ones) as null.
 */
export function zeroObject(schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const resolved = schema ? resolve(schema) : undefined;
  for (const [key, property] of Object.entries(resolved?.properties ?? {})) {
    if (isObject(property.default) && Object.keys(property.default).length === 0) out[key] = zeroObject(property);
    else if (resolved?.required?.includes(key)) out[key] = null;
  }
  return out;
}
