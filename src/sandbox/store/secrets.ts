/**
 * What the API server does to a Secret on every write: `data` values are bytes sent as standard base64 (a bad one
 * fails the decoding of the whole object), `stringData` is a write-only convenience merged into `data`, and the
 * type defaults to `Opaque`.
 */
import { ApiError } from '../../core/api-status.js';
import type { KubeObject } from '../types.js';

const ALPHABET = /[A-Za-z0-9+/]/;

function isNewline(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

/**
 * The offset Go's `base64.StdEncoding` reports for malformed input (`illegal base64 data at input byte N`), or
 * undefined when it decodes. Follows Go's quantum-by-quantum decoder so the number matches the API server's.
 */
export function base64ErrorOffset(text: string): number | undefined {
  let si = 0;
  while (si < text.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === text.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = text[si++]!;
      if (ALPHABET.test(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2) return si - 1;
      // Padding: "==" after two characters, "=" after three; then only newlines may follow.
      if (j === 2) {
        while (si < text.length && isNewline(text[si])) si++;
        if (si === text.length) return text.length;
        if (text[si] !== '=') return si - 1;
        si++;
      }
      while (si < text.length && isNewline(text[si])) si++;
      return si < text.length ? si : undefined;
    }
  }
  return undefined;
}

/** The Secret as stored: `stringData` folded into `data` (it wins), `type` defaulted; throws 400 on bad base64. */
export function normalizeSecret(secret: KubeObject): KubeObject {
  const data = (secret.data ?? {}) as Record<string, unknown>;
  for (const value of Object.values(data)) {
    const offset = typeof value === 'string' ? base64ErrorOffset(value) : 0;
    if (offset !== undefined) {
      // The API server decodes the body before anything else; this is Go's JSON decoder failing on []byte.
      throw ApiError.of('BadRequest', `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${offset}`);
    }
  }
  const { stringData, ...rest } = secret;
  const merged = { ...data };
  for (const [key, value] of Object.entries((stringData ?? {}) as Record<string, unknown>)) {
    merged[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  const out: KubeObject = { ...rest, type: typeof secret.type === 'string' && secret.type !== '' ? secret.type : 'Opaque' };
  if (Object.keys(merged).length > 0) out.data = merged;
  else delete out.data;
  return out;
}
