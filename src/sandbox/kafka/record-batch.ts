/**
 * Kafka's v2 record batch (magic 2), as a broker stores and serves a produced message: a fixed header whose CRC-32C
 * covers everything from the attributes on, then the records with varint-framed key, value and headers. The
 * sandbox writes one batch per message, as Seldon's gateways produce them one at a time.
 */
import { WireWriter } from './wire.js';

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of v2 record batches. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface BatchRecord {
  offset: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer][];
}

function nullable(w: WireWriter, b: Buffer | null): void {
  if (b === null) w.varint(-1);
  else w.varint(b.length).bytes(b);
}

/** One record inside a batch: its length as a varint, then its fields (deltas from the batch's base). */
function record(r: BatchRecord, baseOffset: number, baseTimestamp: number): Buffer {
  const body = new WireWriter().int8(0).varlong(BigInt(r.timestamp - baseTimestamp)).varint(r.offset - baseOffset);
  nullable(body, r.key);
  nullable(body, r.value);
  body.varint(r.headers.length);
  for (const [name, value] of r.headers) {
    const key = Buffer.from(name, 'utf8');
    body.varint(key.length).bytes(key).varint(value.length).bytes(value);
  }
  const bytes = body.done();
  return new WireWriter().varint(bytes.length).bytes(bytes).done();
}

/** A batch of records with consecutive offsets (uncompressed, no producer id, leader epoch 0). */
export function recordBatch(records: readonly BatchRecord[]): Buffer {
  const first = records[0]!;
  const last = records.at(-1)!;
  const maxTimestamp = Math.max(...records.map((r) => r.timestamp));
  // From the attributes on: the part the CRC covers.
  const checked = new WireWriter()
    .int16(0)
    .int32(last.offset - first.offset)
    .int64(first.timestamp)
    .int64(maxTimestamp)
    .int64(-1)
    .int16(-1)
    .int32(-1)
    .int32(records.length);
  for (const r of records) checked.bytes(record(r, first.offset, first.timestamp));
  const tail = checked.done();
  // batchLength counts from partitionLeaderEpoch (4) + magic (1) + crc (4) to the end.
  return new WireWriter().int64(first.offset).int32(9 + tail.length).int32(0).int8(2).uint32(crc32c(tail)).bytes(tail).done();
}
