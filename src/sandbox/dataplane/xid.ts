/**
 * Request ids as Seldon makes them: xids (github.com/rs/xid), 12 bytes (seconds, machine, process, counter)
 * written as 20 characters of base32hex in lower case, such as `cg5g6ogfh5ss73a44vvg`.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';
const bytes = new Uint8Array(12);
// Machine and process: fixed for the process, as xid's are.
bytes.set(randomBytes(3), 4);
bytes[7] = (process.pid >> 8) & 0xff;
bytes[8] = process.pid & 0xff;
let counter = randomBytes(3).readUIntBE(0, 3);

/** A fresh xid; `now` in ms. Every id of one process differs (the counter wraps after 16 million). */
export function xid(now = Date.now()): string {
  const seconds = Math.floor(now / 1000) >>> 0;
  bytes[0] = seconds >>> 24;
  bytes[1] = (seconds >>> 16) & 0xff;
  bytes[2] = (seconds >>> 8) & 0xff;
  bytes[3] = seconds & 0xff;
  counter = (counter + 1) & 0xffffff;
  bytes[9] = counter >>> 16;
  bytes[10] = (counter >>> 8) & 0xff;
  bytes[11] = counter & 0xff;
  // 96 bits in 5-bit groups, the last group padded with zero bits, as xid's encoder does.
  let out = '';
  let value = 0;
  let bits = 0;
  for (let i = 0; i < 12; i++) {
    value = ((value << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + ALPHABET[(value << (5 - bits)) & 31] : out;
}
