import { expect, test } from 'vitest';
import { encodeXid, xid } from '../../../src/sandbox/scheduler/xid.js';

test('encodes the rs/xid README example', () => {
  const bytes = Uint8Array.from([0x4d, 0x88, 0xe1, 0x5b, 0x60, 0xf4, 0x86, 0xe4, 0x28, 0x41, 0x2d, 0xc9]);
  expect(encodeXid(bytes)).toBe('9m4e2mr0ui3e8a215n4g');
});

test('new ids are 20 base32hex characters, distinct, time-ordered', () => {
  const a = xid(new Date('2023-06-29T14:05:04Z'));
  const b = xid(new Date('2023-06-29T14:05:05Z'));
  expect(a).toMatch(/^[0-9a-v]{20}$/);
  expect(a).not.toBe(b);
  expect(a < b).toBe(true);
});
