/**
 * A minimal protobuf writer (proto3 wire format: varints and length-delimited fields), enough to encode the
 * OpenAPI v2 document kubectl asks for in gnostic's `openapi.v2.Document` form.
 */

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return bytes;
}

/** One message being written; fields are appended in the order they are called. */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  /** A string field; empty strings are left out, as proto3 does. */
  string(field: number, value: string | undefined): this {
    if (value) this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (value) this.parts.push(Buffer.from([...varint(field << 3), 1]));
    return this;
  }

  /** A nested message, written by `build`. */
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const nested = new ProtoWriter();
    build(nested);
    return this.bytes(field, nested.finish());
  }

  bytes(field: number, value: Buffer): this {
    this.parts.push(Buffer.from([...varint((field << 3) | 2), ...varint(value.length)]), value);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}
