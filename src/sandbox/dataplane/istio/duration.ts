/**
 * Istio's durations (`timeout: 0.5s`, `perTryTimeout: 2s`, `fixedDelay: 100ms`). Istio's CRDs read them with Go's
 * `time.ParseDuration` rules (a signed sequence of decimal numbers with units), and its validation asks for at
 * least 1ms.
 */

import { exactDurationMs } from '../../../core/duration.js';

/** Milliseconds of a Go duration string (fractions kept, so the 1ms check sees `0.5ms`), or undefined when it is not one. */
export function parseDuration(text: unknown): number | undefined {
  return typeof text === 'string' ? exactDurationMs(text) : undefined;
}

/** Istio's complaint about a duration field, or undefined when it is fine. */
export function durationError(field: string, text: unknown): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return `${field}: invalid duration ${JSON.stringify(text)}`;
  if (ms < 1) return 'duration must be greater than 1ms';
  return undefined;
}
