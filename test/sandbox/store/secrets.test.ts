import { describe, expect, test } from 'vitest';
import { base64ErrorOffset, normalizeSecret } from '../../../src/sandbox/store/secrets.js';

describe('base64ErrorOffset, the byte Go names in "illegal base64 data at input byte N"', () => {
  test.each([
    ['aGVsbG8=', undefined],
    ['aGVs\nbG8=\n', undefined],
    ['', undefined],
    ['not-base64!', 3],
    ['YWJ', 0],
    ['aGVsbG8', 4],
    ['YQ=', 3],
    ['Y===', 1],
    ['YQ==YQ==', 4],
    ['YWJj ZA==', 4],
  ])('%j → %s', (input, offset) => {
    expect(base64ErrorOffset(input)).toBe(offset);
  });
});

describe('normalizeSecret', () => {
  const secret = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...extra });

  test('defaults the type to Opaque and keeps one that is set', () => {
    expect(normalizeSecret(secret({})).type).toBe('Opaque');
    expect(normalizeSecret(secret({ type: 'kubernetes.io/tls' })).type).toBe('kubernetes.io/tls');
  });

  test('folds stringData into data as base64, stringData winning, and drops it', () => {
    const out = normalizeSecret(secret({ data: { a: 'eA==', b: 'eQ==' }, stringData: { b: 'over', c: 'new' } }));
    expect(out.data).toEqual({ a: 'eA==', b: Buffer.from('over').toString('base64'), c: Buffer.from('new').toString('base64') });
    expect(out).not.toHaveProperty('stringData');
  });

  test('a value that is not base64 fails the whole Secret with 400, as the API server decoding it', () => {
    expect(() => normalizeSecret(secret({ data: { ok: 'eA==', bad: 'x!' } }))).toThrow(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 1',
    );
  });
});
