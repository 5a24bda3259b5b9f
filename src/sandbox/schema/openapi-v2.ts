/**
 * `GET /openapi/v2`: every served kind's schema as a Swagger 2.0 document. kubectl asks for it in protobuf
 * (gnostic's `openapi.v2.Document`) for `kubectl explain --output=plaintext-openapiv2` and for client-side
 * validation against servers without `/openapi/v3`; JSON is served to anyone who asks for it. No paths are
 * listed: kubectl would read a PATCH operation's media types to choose how to patch, and the sandbox leaves that
 * choice to kubectl's compiled-in types, as it did before v2 was served.
 */
import { stringify } from 'yaml';
import type { Schema } from '../store/schema.js';
import { ProtoWriter } from './protobuf-writer.js';

/** What kubectl asks for in Accept. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What the API server answers with: the same type spelt so that Go's mime parser takes it (no `@`). */
export const OPENAPI_V2_PROTOBUF_REPLY = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** A Swagger 2.0 definition, which has `$ref` siblings where OpenAPI v3 wraps a reference in `allOf`. */
export type V2Schema = Record<string, unknown>;

const V3_PREFIX = '#/components/schemas/';

/** An OpenAPI v3 schema as Swagger 2.0 writes it. */
export function toV2(schema: Schema): V2Schema {
  const out: V2Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'allOf' && schema.allOf?.length === 1 && schema.allOf[0]!.$ref) out.$ref = schema.allOf[0]!.$ref.replace(V3_PREFIX, '#/definitions/');
    else if (key === '$ref') out.$ref = String(value).replace(V3_PREFIX, '#/definitions/');
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, toV2(v)]));
    else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) out[key] = toV2(value as Schema);
    // Swagger 2.0 has no oneOf: an int-or-string or a quantity is a string there, as the API server writes it.
    else if (key === 'oneOf') out.type = 'string';
    else if (key === 'anyOf') {
      if (schema['x-kubernetes-int-or-string']) out.type = 'string';
    }
    else if (key === 'default' && typeof value === 'object') continue;
    else out[key] = value;
  }
  return out;
}

/** The Swagger 2.0 document with these definitions. */
export function swaggerDocument(definitions: Record<string, V2Schema>): Record<string, unknown> {
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: {}, definitions };
}

function anyValue(writer: ProtoWriter, value: unknown): void {
  // gnostic's Any carries the YAML text of the value; kube-openapi parses extensions back from it.
  writer.string(2, stringify(value));
}

function schemaMessage(writer: ProtoWriter, schema: V2Schema): void {
  const s = schema as {
    $ref?: string;
    format?: string;
    description?: string;
    default?: unknown;
    pattern?: string;
    required?: string[];
    enum?: unknown[];
    additionalProperties?: V2Schema | boolean;
    type?: string;
    items?: V2Schema;
    properties?: Record<string, V2Schema>;
  };
  writer.string(1, s.$ref).string(2, s.format).string(4, s.description);
  if (s.default !== undefined) writer.message(5, (w) => anyValue(w, s.default));
  writer.string(13, s.pattern).strings(19, s.required);
  for (const value of s.enum ?? []) writer.message(20, (w) => anyValue(w, value));
  const additional = s.additionalProperties;
  if (typeof additional === 'object') writer.message(21, (w) => w.message(1, (inner) => schemaMessage(inner, additional)));
  else if (additional === true) writer.message(21, (w) => w.bool(2, true));
  if (s.type) writer.message(22, (w) => w.string(1, s.type));
  const items = s.items;
  if (items) writer.message(23, (w) => w.message(1, (inner) => schemaMessage(inner, items)));
  if (s.properties) {
    writer.message(25, (w) => {
      for (const [name, value] of Object.entries(s.properties!)) w.message(1, (named) => named.string(1, name).message(2, (inner) => schemaMessage(inner, value)));
    });
  }
  for (const [name, value] of Object.entries(schema)) {
    if (name.startsWith('x-')) writer.message(31, (w) => w.string(1, name).message(2, (inner) => anyValue(inner, value)));
  }
}

/** The document in gnostic's protobuf form. */
export function swaggerProtobuf(definitions: Record<string, V2Schema>): Buffer {
  const writer = new ProtoWriter().string(1, '2.0').message(2, (w) => w.string(1, 'Kubernetes').string(2, 'v1.32.0'));
  writer.message(8, () => undefined);
  writer.message(9, (w) => {
    for (const [name, schema] of Object.entries(definitions)) w.message(1, (named) => named.string(1, name).message(2, (inner) => schemaMessage(inner, schema)));
  });
  return writer.finish();
}
