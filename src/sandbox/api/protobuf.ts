/**
 * Request bodies in Kubernetes' protobuf encoding. Since 1.31 client-go's typed clients send built-in kinds as
 * `application/vnd.kubernetes.protobuf`, so `kubectl create namespace|configmap|secret|service|serviceaccount|
 * deployment|quota` do. protobufjs decodes the envelope and the object against the real field numbers
 * (k8s-proto.ts); the result is the JSON form the handlers take. A kind the table lacks answers 415, as an API
 * server does for a content type it cannot read, rather than a guess.
 */
import type protobuf from 'protobufjs';
import { ApiError } from '../../core/api-status.js';
import { K8S_PROTO, PROTO_KINDS } from './k8s-proto.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

const MAGIC = 'k8s\u0000';

let root: Promise<protobuf.Root> | undefined;

/** Parsed on the first protobuf request: most sandboxes never see one, and protobufjs stays out of start. */
function k8sRoot(): Promise<protobuf.Root> {
  root ??= import('protobufjs').then((pb) => pb.default.parse(K8S_PROTO, { keepCase: true }).root);
  return root;
}

type Decoded = Record<string, unknown>;

const isZero = (v: unknown) => v === '' || v === 0 || v === false || (typeof v === 'object' && v !== null && 'low' in v && String(v) === '0');

/** A scalar as JSON has it: 64-bit integers as numbers, bytes as base64. */
function scalar(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && value !== null && 'low' in value) return Number(String(value));
  return value;
}

/** A message as its Go type marshals to JSON: special types by their JSON form, omitempty zeros dropped. */
function toJson(type: protobuf.Type, message: Decoded): Decoded {
  const out: Decoded = {};
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(message, field.name)) continue;
    const value = message[field.name];
    const nested = field.resolvedType && 'fieldsArray' in field.resolvedType ? field.resolvedType : undefined;
    const convert = (v: unknown): unknown => (nested ? special(nested, v as Decoded) : scalar(v));
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, convert(v)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length > 0) out[field.name] = (value as unknown[]).map(convert);
    } else {
      // gogo writes a non-pointer field even when zero; JSON omits it (omitempty). A pointer's zero is a value.
      if (isZero(value) && !field.options?.proto3_optional) continue;
      const converted = convert(value);
      if (converted !== undefined) out[field.name] = converted;
    }
  }
  return out;
}

/** The types whose JSON form is not an object of their fields. */
function special(type: protobuf.Type, message: Decoded): unknown {
  switch (type.name) {
    case 'IntOrString':
      // type 1 is a string (a named port, a percentage), 0 an integer.
      return Number(String(message.type ?? 0)) === 1 ? (message.strVal ?? '') : (message.intVal ?? 0);
    case 'Quantity':
      return message.string ?? '';
    case 'Time':
      // Timestamps in a request body are the server's to set (creationTimestamp comes as the zero Time).
      return undefined;
    default:
      return toJson(type, message);
  }
}

/** The JSON text of a protobuf-encoded object (`k8s\0` + runtime.Unknown{typeMeta, raw}). */
export async function protobufToJson(body: Buffer): Promise<string> {
  if (body.subarray(0, 4).toString('latin1') !== MAGIC) throw ApiError.of('BadRequest', 'protobuf body without the k8s envelope');
  const k8s = await k8sRoot();
  let envelope: Decoded;
  try {
    envelope = k8s.lookupType('k8s.Unknown').decode(body.subarray(4)) as unknown as Decoded;
  } catch (error) {
    throw ApiError.of('BadRequest', `cannot decode the protobuf envelope: ${(error as Error).message}`);
  }
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  const name = PROTO_KINDS[`${apiVersion}/${kind}`];
  if (!name) {
    throw ApiError.of('UnsupportedMediaType', `the sandbox cannot decode ${kind ? `${apiVersion} ${kind}` : 'this object'} in protobuf; send application/json`);
  }
  const type = k8s.lookupType(name);
  let object: Decoded;
  try {
    object = type.decode((envelope.raw as Uint8Array | undefined) ?? new Uint8Array()) as unknown as Decoded;
  } catch (error) {
    throw ApiError.of('BadRequest', `cannot decode ${kind} from protobuf: ${(error as Error).message}`);
  }
  return JSON.stringify({ apiVersion, kind, ...toJson(type, object) });
}
