/**
 * Kafka's primitive types on the wire (big-endian integers, zig-zag and unsigned varints, compact strings and arrays
 * of the "flexible" versions, UUIDs, tagged fields), read from a request and written into a response. Reads past
 * the end throw RangeError, which the listener answers by closing the connection, as a broker does with a
 * malformed request.
 */

export class WireReader {
  position = 0;

  constructor(readonly buffer: Buffer) {}

  private take(size: number): number {
    const at = this.position;
    if (at + size > this.buffer.length) throw new RangeError(`Kafka request ends at ${this.buffer.length}, wanted ${at + size}`);
    this.position += size;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }
  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }
  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }
  int64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }

  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.take(1));
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new RangeError('Kafka varint longer than 5 bytes');
  }

  /** A classic (non-compact) nullable string: int16 length, -1 for null (the request header's client id). */
  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.buffer.toString('utf8', this.take(length), this.position);
  }

  /** A compact nullable string: unsigned varint length + 1, 0 for null. */
  compactNullableString(): string | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.buffer.toString('utf8', this.take(length), this.position);
  }

  compactString(): string {
    return this.compactNullableString() ?? '';
  }

  uuid(): string {
    return this.buffer.toString('hex', this.take(16), this.position);
  }

  /** A compact array: unsigned varint count + 1 (0 for null, read as empty). */
  compactArray<T>(item: (reader: WireReader) => T): T[] {
    const count = this.unsignedVarint() - 1;
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(item(this));
    return out;
  }

  /** Skips a tagged-field section: none of the fields the sandbox serves is tagged. */
  taggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      this.take(this.unsignedVarint());
    }
  }
}

/** Grows as it is written; `done()` gives the bytes. */
export class WireWriter {
  private chunks: Buffer[] = [];
  length = 0;

  private push(chunk: Buffer): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }

  private fixed(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.allocUnsafe(size);
    write(b);
    return this.push(b);
  }

  int8(v: number): this {
    return this.fixed(1, (b) => b.writeInt8(v));
  }
  int16(v: number): this {
    return this.fixed(2, (b) => b.writeInt16BE(v));
  }
  int32(v: number): this {
    return this.fixed(4, (b) => b.writeInt32BE(v));
  }
  uint32(v: number): this {
    return this.fixed(4, (b) => b.writeUInt32BE(v >>> 0));
  }
  int64(v: bigint | number): this {
    return this.fixed(8, (b) => b.writeBigInt64BE(BigInt(v)));
  }
  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  unsignedVarint(v: number): this {
    const bytes: number[] = [];
    let rest = v >>> 0;
    while (rest > 0x7f) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    return this.push(Buffer.from(bytes));
  }

  /** A zig-zag varint (record fields); numbers up to 2^31 in size. */
  varint(v: number): this {
    return this.unsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** A zig-zag varint of 64 bits (a record's timestamp delta). */
  varlong(v: bigint): this {
    let rest = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    const bytes: number[] = [];
    while (rest > 0x7fn) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    return this.push(Buffer.from(bytes));
  }

  bytes(b: Buffer): this {
    return this.push(b);
  }

  compactNullableString(v: string | null): this {
    if (v === null) return this.unsignedVarint(0);
    const b = Buffer.from(v, 'utf8');
    return this.unsignedVarint(b.length + 1).push(b);
  }

  compactString(v: string): this {
    return this.compactNullableString(v);
  }

  /** A compact nullable byte string (the records of a Fetch response). */
  compactBytes(b: Buffer | null): this {
    if (b === null) return this.unsignedVarint(0);
    return this.unsignedVarint(b.length + 1).push(b);
  }

  uuid(hex: string): this {
    return this.push(Buffer.from(hex.padEnd(32, '0').slice(0, 32), 'hex'));
  }

  compactArray<T>(items: readonly T[], item: (writer: this, value: T) => void): this {
    this.unsignedVarint(items.length + 1);
    for (const value of items) item(this, value);
    return this;
  }

  /** An empty tagged-field section. */
  taggedFields(): this {
    return this.unsignedVarint(0);
  }

  done(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}
