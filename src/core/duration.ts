/**
 * Durations as users write them in directives, front matter and flags: Go's `time.ParseDuration` units
 * (`500ms`, `60s`, `5m`, `1h30m`, `1.5s`). kubectl's `--timeout` uses the same syntax.
 */
import { InputError } from './errors.js';

const UNIT_MS = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
// µs (micro sign) and μs (Greek mu) as escapes: esbuild keeps a regex literal's characters as written, and the
// bundle stays ASCII (bin/code-cache.js reads it as a one-byte string).
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00B5s|\u03BCs|ms|s|m|h)/y;

/**
 * Milliseconds of a duration such as `1m30s`, rounded to whole milliseconds; undefined when `text` is not one. A
 * bare `0` is zero. With `signed`, a leading `+` or `-` is accepted, as Go's parser (and so kubectl's `--timeout`) does.
 */
export function parseDuration(text: string, options: { signed?: boolean } = {}): number | undefined {
  if (options.signed && /^[+-]/.test(text)) {
    const magnitude = parseDuration(text.slice(1));
    return magnitude === undefined ? undefined : text[0] === '-' ? -magnitude : magnitude;
  }
  const ms = exactDurationMs(text);
  return ms === undefined ? undefined : Math.round(ms);
}

/** Milliseconds of an unsigned duration, fractions kept (`0.5ms` is 0.5): for checks of precision such as Istio's. */
export function exactDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== start) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  return total;
}

/** A duration given to a command-line flag, or an error that names the flag and what was expected. */
export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text.trim());
  if (ms === undefined) throw new InputError(`${flag} ${JSON.stringify(text)}: expected a duration such as 500ms, 30s or 5m`);
  return ms;
}
