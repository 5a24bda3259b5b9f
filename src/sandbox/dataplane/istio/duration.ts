/**
 * Istio's durations (`timeout: 0.5s`, `perTryTimeout: 2s`, `fixedDelay: 100ms`). Istio's CRDs read them with Go's
 * `time.ParseDuration` rules (a signed sequence of decimal numbers with units), and its validation asks for at
 * least 1ms.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds of a Go duration string, or undefined when it is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  if (text === '0') return 0;
  let ms = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) return undefined;
    ms += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return ms;
}

/** Istio's complaint about a duration field, or undefined when it is fine. */
export function durationError(field: string, text: unknown): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return `${field}: invalid duration ${JSON.stringify(text)}`;
  if (ms < 1) return 'duration must be greater than 1ms';
  return undefined;
}
