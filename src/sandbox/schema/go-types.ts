/**
 * How the API server's Go decoder words a value of the wrong JSON type in a built-in kind: built-ins are decoded
 * into Go structs before any schema is looked at, so the error is encoding/json's, not a validation message.
 */
import type { Schema } from '../store/schema.js';
import { INT_OR_STRING, QUANTITY } from './dsl.js';
import { referenced } from './definitions.js';

/** `v1.DeploymentSpec`, `intstr.IntOrString`: a definition name as Go prints its type (package, type). */
export function goTypeOfName(name: string): string {
  const parts = name.split('.');
  return `${parts.at(-2)}.${parts.at(-1)}`;
}

/** The Go type of the field a schema describes (`int32`, `[]v1.Container`, `map[string]string`). */
export function goType(schema: Schema): string {
  const name = referenced(schema);
  if (name) return goTypeOfName(name);
  switch (schema.type) {
    case 'integer':
      return schema.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return schema.format === 'byte' ? '[]uint8' : 'string';
    case 'array':
      return `[]${schema.items ? goType(schema.items) : 'interface {}'}`;
    case 'object':
    case undefined:
      return typeof schema.additionalProperties === 'object' ? `map[string]${goType(schema.additionalProperties)}` : 'map[string]interface {}';
  }
}

/** A JSON value's kind as encoding/json names it in errors; numbers that cannot fit an integer carry their text. */
export function jsonKind(value: unknown, into: Schema): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return into.type === 'integer' ? `number ${value}` : 'number';
  return typeof value === 'object' ? 'object' : 'string';
}

const INT32 = 2 ** 31;

/** Whether Go's decoder takes `value` into the field `schema` describes (the definition already resolved). */
export function goAccepts(schema: Schema, name: string | undefined, value: unknown): boolean {
  if (name === INT_OR_STRING) return typeof value === 'string' || Number.isInteger(value);
  if (name === QUANTITY) return typeof value === 'string' || typeof value === 'number';
  switch (schema.type) {
    case 'integer':
      return Number.isInteger(value) && (schema.format === 'int64' || ((value as number) >= -INT32 && (value as number) < INT32));
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case undefined:
      return true;
  }
}

/** `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
export function decodeError(value: unknown, schema: Schema, struct: string, goPath: string): string {
  const name = referenced(schema);
  if (name === INT_OR_STRING) return `json: cannot unmarshal ${jsonKind(value, { type: 'integer' })} into Go value of type int32`;
  if (name === QUANTITY) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  return `json: cannot unmarshal ${jsonKind(value, schema)} into Go struct field ${struct}.${goPath} of type ${goType(schema)}`;
}
