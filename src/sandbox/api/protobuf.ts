/**
 * Request bodies in Kubernetes' protobuf encoding. Since 1.31 client-go's typed clients send built-in kinds as
 * `application/vnd.kubernetes.protobuf`, so `kubectl create namespace|configmap|secret|service` do. This decodes
 * the envelope and those kinds' commonly set fields into the JSON form the handlers take; other kinds get 415.
 */
import { ApiError } from '../../core/api-status.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

type Field = { number: number; wire: number; value: bigint | Buffer };

/** The fields of one message, in order (wire format: varints and length-delimited only matter here). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw ApiError.of('BadRequest', 'truncated protobuf body');
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const wire = key & 7;
    const number = key >>> 3;
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      out.push({ number, wire, value: buf.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw ApiError.of('BadRequest', `unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const str = (f: Field) => (f.value as Buffer).toString('utf8');
const num = (f: Field) => Number(BigInt.asIntN(64, f.value as bigint));

type Decoder = Record<number, (f: Field, into: Record<string, unknown>) => void>;

function message(decoder: Decoder, buf: Buffer): Record<string, unknown> {
  const into: Record<string, unknown> = {};
  for (const f of fields(buf)) decoder[f.number]?.(f, into);
  return into;
}

// Protobuf cannot tell an unset field from its zero value, and gogo writes both: drop zeros as JSON omits them.
const string = (name: string) => (f: Field, o: Record<string, unknown>) => {
  if (str(f) !== '') o[name] = str(f);
};
const int = (name: string) => (f: Field, o: Record<string, unknown>) => {
  if (num(f) !== 0) o[name] = num(f);
};
const boolean = (name: string) => (f: Field, o: Record<string, unknown>) => {
  if (num(f) !== 0) o[name] = true;
};
const repeated = (name: string, decode: (f: Field) => unknown) => (f: Field, o: Record<string, unknown>) =>
  (o[name] = [...((o[name] as unknown[] | undefined) ?? []), decode(f)]);
const nested = (name: string, decoder: Decoder) => (f: Field, o: Record<string, unknown>) => (o[name] = message(decoder, f.value as Buffer));
/** A map field: repeated entries `{1: key, 2: value}`; bytes values become base64 as in JSON. */
const map = (name: string, bytes = false) => (f: Field, o: Record<string, unknown>) => {
  const entry = fields(f.value as Buffer);
  const key = entry.find((e) => e.number === 1);
  const value = entry.find((e) => e.number === 2);
  const target = ((o[name] as Record<string, string> | undefined) ??= {});
  target[key ? str(key) : ''] = value ? (bytes ? (value.value as Buffer).toString('base64') : str(value)) : '';
};

const objectMeta: Decoder = {
  1: string('name'),
  2: string('generateName'),
  3: string('namespace'),
  6: string('resourceVersion'),
  11: map('labels'),
  12: map('annotations'),
  14: repeated('finalizers', str),
};

const intOrString: Decoder = { 1: int('type'), 2: int('int'), 3: string('str') };

const servicePort: Decoder = {
  1: string('name'),
  2: string('protocol'),
  3: int('port'),
  4: (f, o) => {
    const v = message(intOrString, f.value as Buffer);
    // type 1 is a string (a named port), 0 an integer.
    const port = v.type === 1 ? v.str : v.int;
    if (port !== undefined) o.targetPort = port;
  },
  5: int('nodePort'),
  6: string('appProtocol'),
};

const KINDS: Record<string, Decoder> = {
  Namespace: { 1: nested('metadata', objectMeta), 2: nested('spec', { 1: repeated('finalizers', str) }) },
  ConfigMap: { 1: nested('metadata', objectMeta), 2: map('data'), 3: map('binaryData', true), 4: boolean('immutable') },
  Secret: { 1: nested('metadata', objectMeta), 2: map('data', true), 3: string('type'), 4: map('stringData'), 5: boolean('immutable') },
  Service: {
    1: nested('metadata', objectMeta),
    2: nested('spec', {
      1: repeated('ports', (f) => message(servicePort, f.value as Buffer)),
      2: map('selector'),
      3: string('clusterIP'),
      4: string('type'),
      5: repeated('externalIPs', str),
      7: string('sessionAffinity'),
    }),
  },
};

/** The JSON text of a protobuf-encoded object (`k8s\0` + runtime.Unknown{typeMeta, raw}). */
export function protobufToJson(body: Buffer): string {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') throw ApiError.of('BadRequest', 'protobuf body without the k8s envelope');
  const unknown = message(
    { 1: nested('typeMeta', { 1: string('apiVersion'), 2: string('kind') }), 2: (f, o) => (o.raw = f.value) },
    body.subarray(4),
  ) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Buffer };
  const kind = unknown.typeMeta?.kind ?? '';
  const decoder = KINDS[kind];
  if (!decoder) {
    throw ApiError.of('UnsupportedMediaType', `the sandbox cannot decode ${kind || 'this object'} in protobuf; send application/json`);
  }
  const object = message(decoder, unknown.raw ?? Buffer.alloc(0));
  return JSON.stringify({ apiVersion: unknown.typeMeta?.apiVersion, kind, ...object });
}
