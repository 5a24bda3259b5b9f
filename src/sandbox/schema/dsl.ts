/**
 * Builders for the schema table of the built-in kinds. Each builder writes a property the way the API server's
 * own OpenAPI v3 documents do (`allOf: [{$ref}]` for a nested struct, `default: {}` for a struct that is not a
 * pointer, list and map types for server-side apply), so one table serves validation, `kubectl explain` and
 * managedFields alike.
 */
import type { Schema } from '../store/schema.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const CORE = 'io.k8s.api.core.v1.';
export const APPS = 'io.k8s.api.apps.v1.';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

export const str = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: 'string', description, ...extra });
export const int32 = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: 'integer', format: 'int32', description, ...extra });
export const int64 = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: 'integer', format: 'int64', description, ...extra });
export const bool = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: 'boolean', description, ...extra });
/** A string with a closed set of values (Go's `+enum` types). */
export const oneOf = (description: string, values: string[], extra: Partial<Schema> = {}): Schema => ({ type: 'string', description, enum: values, ...extra });

export function refTo(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

/** A property holding a named struct; `struct` when the Go field is not a pointer (the document says `default: {}`). */
export function ref(name: string, description: string, struct = false): Schema {
  return { allOf: [refTo(name)], ...(struct ? { default: {} } : {}), description };
}

/** `map[string]string`, granular for server-side apply (each key owned apart). */
export const stringMap = (description: string): Schema => ({ type: 'object', description, additionalProperties: { type: 'string', default: '' } });

export type ListKind = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

/** A list and how server-side apply merges it: whole (atomic), as a set, or as a map keyed by `keys`. */
export function list(description: string, items: Schema, kind: ListKind = { type: 'atomic' }): Schema {
  return {
    type: 'array',
    description,
    items,
    'x-kubernetes-list-type': kind.type,
    ...(kind.type === 'map' ? { 'x-kubernetes-list-map-keys': kind.keys, 'x-kubernetes-patch-merge-key': kind.keys[0], 'x-kubernetes-patch-strategy': 'merge' } : {}),
  };
}

/** A list of named structs. */
export function listOf(name: string, description: string, kind: ListKind = { type: 'atomic' }): Schema {
  return list(description, { ...refTo(name), default: {} }, kind);
}

export const strings = (description: string, kind: ListKind = { type: 'atomic' }): Schema => list(description, { type: 'string', default: '' }, kind);

/** A named struct's definition: its description, fields and required fields. */
export function struct(description: string, properties: Record<string, Schema>, required?: string[], extra: Partial<Schema> = {}): Schema {
  return { type: 'object', description, properties, ...(required ? { required } : {}), ...extra };
}

/** A struct whose fields the sandbox does not list: kept as written (statuses the sandbox's controllers write). */
export const open = (description: string, properties: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  description,
  properties,
  'x-kubernetes-preserve-unknown-fields': true,
});
