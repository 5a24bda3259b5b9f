/**
 * Go's `protojson.Marshal` of a decoded message, as the seldon CLI prints every scheduler answer: one line, fields in
 * declaration order under their JSON names, zero scalars left out (fields with presence print when set), 64-bit
 * integers as strings, enums by name, map keys sorted, Timestamps in RFC 3339. The Go library puts a space after
 * each comma in single-line output on the builds Seldon ships, which the recorded notebooks show (`{"a":1, "b":2}`).
 */
import type protobuf from 'protobufjs';

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function jsonName(field: protobuf.Field): string {
  return field.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function isLong(value: unknown): value is { low: number; high: number } {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

function longText(value: unknown, unsigned: boolean): string {
  if (!isLong(value)) return String(value);
  const big = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return String(unsigned ? big : BigInt.asIntN(64, big));
}

/** `2023-06-29T15:27:01.095715504Z`: fractional seconds in 0, 3, 6 or 9 digits, as Go prints them. */
function timestamp(message: Record<string, unknown>): string {
  const seconds = Number(longText(message.seconds ?? 0, false));
  const nanos = Number(message.nanos ?? 0);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (nanos === 0) return `${base}Z`;
  const digits = String(nanos).padStart(9, '0');
  const cut = digits.endsWith('000000') ? 3 : digits.endsWith('000') ? 6 : 9;
  return `${base}.${digits.slice(0, cut)}Z`;
}

function scalar(field: protobuf.Field, value: unknown): Json {
  const type = field.resolvedType;
  if (type && 'values' in type) return (type).valuesById[value as number] ?? (value as number);
  if (type) return messageJson(type, value as Record<string, unknown>);
  if (LONG_TYPES.has(field.type)) return longText(value, field.type === 'uint64' || field.type === 'fixed64');
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (field.type === 'float' || field.type === 'double') {
    const n = value as number;
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    // Go prints a float32 with the fewest digits that read back as the same float32.
    if (field.type === 'float') for (let p = 1; p <= 9; p++) if (Math.fround(Number(n.toPrecision(p))) === Math.fround(n)) return Number(n.toPrecision(p));
    return n;
  }
  return value as Json;
}

function isZero(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (isLong(value)) return value.low === 0 && value.high === 0;
  if (value instanceof Uint8Array) return value.length === 0;
  return value === 0 || value === '' || value === false;
}

/** The message as protojson's plain value (key order is output order). */
export function messageJson(type: protobuf.Type, message: Record<string, unknown> | null | undefined): Json {
  if (type.fullName === '.google.protobuf.Timestamp') return timestamp(message ?? {});
  const out: Record<string, Json> = {};
  if (!message) return out;
  for (const field of type.fieldsArray) {
    field.resolve();
    const value = message[field.name];
    if (field.map) {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (entries.length === 0) continue;
      entries.sort(([a], [b]) => ((field as unknown as protobuf.MapField).keyType === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : Number(a) - Number(b)));
      out[jsonName(field)] = Object.fromEntries(entries.map(([k, v]) => [k, scalar(field, v)]));
    } else if (field.repeated) {
      const list = (value ?? []) as unknown[];
      if (list.length > 0) out[jsonName(field)] = list.map((v) => scalar(field, v));
    } else if (field.resolvedType && !('values' in field.resolvedType)) {
      if (value !== undefined && value !== null) out[jsonName(field)] = scalar(field, value);
    } else if (field.partOf ? Object.hasOwn(message, field.name) && value !== undefined && value !== null : !isZero(value)) {
      out[jsonName(field)] = scalar(field, value);
    }
  }
  return out;
}

/** One line as Go's protojson writes it: no space after `:`, one after each `,`. */
export function goCompact(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(goCompact).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${goCompact(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** `protojson.Marshal(msg)` as the CLI prints it (without the newline). */
export function protoText(type: protobuf.Type, message: Record<string, unknown> | null | undefined): string {
  return goCompact(messageJson(type, message));
}

export type { Json };
