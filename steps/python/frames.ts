/**
 * The control channel between the driver and the kernel: each message is a 4-byte big-endian length, then that
 * many bytes of UTF-8 JSON. It runs on its own pipes (fd 3 and fd 4), so nothing a cell prints can forge one.
 */

/** One framed message, ready to write. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

/** Collects bytes as they arrive and returns every message they complete, in order. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): unknown[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: unknown[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readUInt32BE(0);
      if (this.pending.length < 4 + size) break;
      messages.push(JSON.parse(this.pending.subarray(4, 4 + size).toString('utf8')));
      this.pending = this.pending.subarray(4 + size);
    }
    return messages;
  }
}
