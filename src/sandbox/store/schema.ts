/**
 * Structural OpenAPI v3 schemas applied to objects the way the API server applies them: unknown fields are
 * pruned (with `fieldValidation=Strict` they are an error, with `Warn` a warning), defaults are filled in, and
 * types, required fields and enums are checked. Custom resources follow their CRD's schema, so a wrong type is a
 * validation error (`spec.replicas in body must be of type integer`); built-in kinds follow the schema table of
 * src/sandbox/schema/ and are decoded like Go structs, so a wrong type is encoding/json's decode error.
 */
import { ApiError } from '../../core/api-status.js';
import { isObject } from '../../core/json.js';
import { referenced, resolve } from '../schema/definitions.js';
import { decodeError, goAccepts, goTypeOfName } from '../schema/go-types.js';

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  default?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  pattern?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
}

export interface FieldError {
  field: string;
  /** After `field: `, e.g. `Required value` or `Invalid value: "string": … must be of type integer: "string"`. */
  detail: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid';
}

export interface SchemaResult {
  /** The object without the fields the schema does not know, with defaults filled in. */
  pruned: unknown;
  /** Paths of the pruned fields, `spec.storagUri`, `spec.steps[0].nme`, in document order. */
  unknown: string[];
  errors: FieldError[];
  /** Set for a built-in kind whose body Go could not decode: the first such error, as encoding/json words it. */
  decodeError?: string;
}

/** `structural`: a custom resource (CRD schema). `go`: a built-in kind, decoded into Go structs first. */
export type SchemaMode = 'structural' | 'go';

/** Fields every object has, which the schema of a custom resource leaves to the server. */
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(schema: Schema, value: unknown): boolean {
  const actual = typeName(value);
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!schema.type) return true;
  if (schema.type === 'number') return actual === 'number' || actual === 'integer';
  return actual === schema.type;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Where the walk is: the path users see (with indexes) and, for Go, the struct and field path its decoder names. */
interface At {
  path: string;
  goPath: string;
  struct: string;
  root: boolean;
}

class Walker {
  readonly out: SchemaResult = { pruned: undefined, unknown: [], errors: [] };

  constructor(private readonly mode: SchemaMode) {}

  walk(declared: Schema, value: unknown, at: At): unknown {
    // null clears a field in Kubernetes, as if absent.
    if (value === null || value === undefined) return value;
    const name = referenced(declared);
    const schema = resolve(declared);
    if (!this.typeOk(declared, schema, name, value, at)) return value;
    if (schema.enum && !schema.enum.some((e) => e === value)) {
      this.out.errors.push({
        field: at.path,
        reason: 'FieldValueNotSupported',
        detail: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
      });
    }
    if (Array.isArray(value)) {
      const items = schema.items;
      return items ? value.map((item, i) => this.walk(items, item, { ...at, path: `${at.path}[${i}]`, root: false })) : value;
    }
    if (!isObject(value)) return value;
    const struct = name && schema.properties ? goTypeOfName(name).split('.')[1]! : at.struct;
    return this.object(schema, value, { ...at, struct });
  }

  private typeOk(declared: Schema, schema: Schema, name: string | undefined, value: unknown, at: At): boolean {
    if (this.mode === 'go') {
      if (goAccepts(schema, name, value)) return true;
      this.out.decodeError ??= decodeError(value, declared, at.struct, at.goPath);
      return false;
    }
    if (typeMatches(schema, value)) return true;
    const shown = typeName(value);
    this.out.errors.push({
      field: at.path,
      reason: 'FieldValueTypeInvalid',
      detail: `Invalid value: "${shown}": ${at.path} in body must be of type ${schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type}: "${shown}"`,
    });
    return false;
  }

  private object(schema: Schema, value: Record<string, unknown>, at: At): unknown {
    for (const name of schema.required ?? []) {
      if (value[name] === undefined) this.out.errors.push({ field: join(at.path, name), reason: 'FieldValueRequired', detail: 'Required value' });
    }
    if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return value;
    const result: Record<string, unknown> = {};
    const additional = schema.additionalProperties;
    for (const [key, child] of Object.entries(value)) {
      const known = schema.properties?.[key];
      const field = { ...at, path: join(at.path, key), root: false };
      if (at.root && this.mode === 'structural' && ROOT_FIELDS.has(key)) result[key] = child;
      else if (known) result[key] = this.walk(known, child, { ...field, goPath: join(at.goPath, key) });
      // A map's keys are not struct fields: Go names the map itself.
      else if (isObject(additional)) result[key] = this.walk(additional, child, { ...field, goPath: at.goPath });
      else if (additional === true || schema['x-kubernetes-preserve-unknown-fields']) result[key] = child;
      else this.out.unknown.push(field.path);
    }
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (result[key] === undefined && value[key] === undefined && this.defaults(property)) result[key] = structuredClone(property.default);
    }
    return result;
  }

  /** Whether a property's default is filled in: always for CRDs; for built-ins only scalars (`default: {}` marks a Go struct value). */
  private defaults(property: Schema): boolean {
    if (property.default === undefined) return false;
    return this.mode === 'structural' || typeof property.default !== 'object';
  }
}

/**
 * Checks, defaults and prunes `object` against its kind's schema. A schema rooted in the built-in table (a `$ref`)
 * is decoded like Go unless `mode` says otherwise, and a body Go cannot decode throws at once, as the API server
 * fails such a request before it looks at unknown fields or values: 400 `Deployment in version "v1" cannot be
 * handled as a Deployment: json: cannot unmarshal …`.
 */
export function applySchema(schema: Schema, object: unknown, mode?: SchemaMode): SchemaResult {
  const rootName = referenced(schema);
  const walker = new Walker(mode ?? (rootName ? 'go' : 'structural'));
  const kind = rootName ? goTypeOfName(rootName).split('.')[1]! : '';
  walker.out.pruned = walker.walk(schema, object, { path: '', goPath: '', struct: kind, root: true });
  const failed = walker.out.decodeError;
  if (failed !== undefined) {
    const apiVersion = isObject(object) && typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    throw ApiError.of('BadRequest', `${kind} in version "${version}" cannot be handled as a ${kind}: ${failed}`);
  }
  // A built-in kind's validation runs in code order, field by field, not in the order the client wrote them.
  if (rootName) walker.out.errors.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return walker.out;
}
