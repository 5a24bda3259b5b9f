/**
 * Structural OpenAPI v3 schemas (as CustomResourceDefinitions carry them) applied to objects the way the API
 * server applies them: unknown fields are pruned (with `fieldValidation=Strict` they are an error, with `Warn` a
 * warning), and types, required fields and enums are checked. Driven only by the schema, so any kind with one
 * can use it.
 */
import { isObject } from '../../core/json.js';

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
  pattern?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

export interface FieldError {
  field: string;
  /** After `field: `, e.g. `Required value` or `Invalid value: "string": … must be of type integer: "string"`. */
  detail: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid';
}

export interface SchemaResult {
  /** The object without the fields the schema does not know. */
  pruned: unknown;
  /** Paths of the pruned fields, `spec.storagUri`, `spec.steps[0].nme`, in document order. */
  unknown: string[];
  errors: FieldError[];
}

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

function walk(schema: Schema, value: unknown, path: string, out: SchemaResult, root: boolean): unknown {
  // null clears a field in Kubernetes, as if absent.
  if (value === null || value === undefined) return value;
  if (!typeMatches(schema, value)) {
    const shown = typeName(value);
    out.errors.push({
      field: path,
      reason: 'FieldValueTypeInvalid',
      detail: `Invalid value: "${shown}": ${path} in body must be of type ${schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type}: "${shown}"`,
    });
    return value;
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    out.errors.push({
      field: path,
      reason: 'FieldValueNotSupported',
      detail: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (Array.isArray(value)) return schema.items ? value.map((item, i) => walk(schema.items!, item, `${path}[${i}]`, out, false)) : value;
  if (!isObject(value)) return value;
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) out.errors.push({ field: join(path, name), reason: 'FieldValueRequired', detail: 'Required value' });
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const known = schema.properties?.[key];
    const additional = schema.additionalProperties;
    if (root && ROOT_FIELDS.has(key)) result[key] = child;
    else if (known) result[key] = walk(known, child, join(path, key), out, false);
    else if (isObject(additional)) result[key] = walk(additional, child, join(path, key), out, false);
    else if (additional === true || schema['x-kubernetes-preserve-unknown-fields']) result[key] = child;
    else out.unknown.push(join(path, key));
  }
  return result;
}

/** Checks and prunes `object` against its kind's schema. */
export function applySchema(schema: Schema, object: unknown): SchemaResult {
  const out: SchemaResult = { pruned: undefined, unknown: [], errors: [] };
  out.pruned = walk(schema, object, '', out, true);
  return out;
}
