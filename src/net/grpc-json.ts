/**
 * grpcurl's JSON forms: responses as the old jsonpb printed them (lowerCamel names, declaration order, 64-bit
 * integers as strings, zero values omitted unless -emit-defaults, sorted map keys), and `-d` input that accepts both
 * the proto's snake_case names and their lowerCamel JSON names.
 */
import type protobuf from 'protobufjs';

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** A lowerCamel JSON name of a proto field name (`model_name` → `modelName`). */
export function jsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The shortest decimal that reads back as the same float32, as Go's FormatFloat(v, 'g', -1, 32). */
function float32(value: number): number {
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(value.toPrecision(p));
    if (Math.fround(candidate) === Math.fround(value)) return candidate;
  }
  return value;
}

function longString(value: unknown, unsigned: boolean): string {
  if (typeof value === 'object' && value !== null && 'low' in value) {
    const v = value as { low: number; high: number; unsigned?: boolean };
    const big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    return String(unsigned ? big : BigInt.asIntN(64, big));
  }
  return String(value);
}

function scalar(field: protobuf.Field, value: unknown): unknown {
  if (field.resolvedType && 'values' in field.resolvedType) {
    const names = (field.resolvedType).valuesById;
    return names[value as number] ?? value;
  }
  if (field.resolvedType) return formatMessage(field.resolvedType, value as protobuf.Message, false);
  if (LONG_TYPES.has(field.type)) return longString(value, field.type.startsWith('u') || field.type === 'fixed64');
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (field.type === 'float' || field.type === 'double') {
    const n = value as number;
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    return field.type === 'float' ? float32(n) : n;
  }
  return value;
}

function isZero(field: protobuf.Field, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (field.resolvedType && !('values' in field.resolvedType)) return false;
  if (typeof value === 'object' && 'low' in value) {
    const long = value as { low: number; high: number };
    return long.low === 0 && long.high === 0;
  }
  if (value instanceof Uint8Array) return value.length === 0;
  return value === 0 || value === '' || value === false;
}

/** A decoded message as grpcurl prints it (a plain object whose key order is the output order). */
export function formatMessage(type: protobuf.Type, message: protobuf.Message, emitDefaults: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const values = message as unknown as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    field.resolve();
    const value = values[field.name];
    const name = jsonName(field.name);
    if (field.map) {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (entries.length === 0 && !emitDefaults) continue;
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out[name] = Object.fromEntries(entries.map(([k, v]) => [k, scalar(field, v)]));
    } else if (field.repeated) {
      const list = (value ?? []) as unknown[];
      if (list.length === 0 && !emitDefaults) continue;
      out[name] = list.map((v) => scalar(field, v));
    } else {
      // Fields with presence (oneof members, proto3 optional) print whenever set, even at zero.
      const present = field.partOf ? Object.hasOwn(values, field.name) && value !== undefined : !isZero(field, value);
      if (!present && !(emitDefaults && !field.partOf)) continue;
      if (value === undefined || value === null) {
        if (field.resolvedType && !('values' in field.resolvedType)) continue;
        out[name] = scalar(field, field.typeDefault);
      } else {
        out[name] = scalar(field, value);
      }
    }
  }
  return out;
}

/** grpcurl's text: two-space JSON and a newline. */
export function printMessage(type: protobuf.Type, message: protobuf.Message, emitDefaults: boolean): string {
  return JSON.stringify(formatMessage(type, message, emitDefaults), null, 2) + '\n';
}

/** Raised for `-d` input that does not fit the request type. */
export class RequestDataError extends Error {}

/** Rewrites JSON input keys to the proto's field names, so protobufjs's fromObject accepts either spelling. */
export function normaliseInput(type: protobuf.Type, input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestDataError(`message type ${type.fullName.replace(/^\./, '')} expects a JSON object`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = type.fields[key] ?? type.fieldsArray.find((f) => jsonName(f.name) === key || f.name === key);
    if (!field) throw new RequestDataError(`message type ${type.fullName.replace(/^\./, '')} has no known field named ${key}`);
    field.resolve();
    const message = field.resolvedType && !('values' in field.resolvedType) ? (field.resolvedType) : undefined;
    if (!message || value === null) out[field.name] = value;
    else if (field.map) out[field.name] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, normaliseInput(message, v)]));
    else if (field.repeated && Array.isArray(value)) out[field.name] = value.map((v) => normaliseInput(message, v));
    else out[field.name] = normaliseInput(message, value);
  }
  return out;
}
