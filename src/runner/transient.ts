/**
 * Whether another attempt of a read-only step can change its answer. A mismatch that comes from what the step
 * read (a build's YAML, a 200 with another body) is the same next time: retrying it only delays the failure for
 * the whole retry budget. What converges is a cluster or a server still starting: connections refused, reset or
 * timing out, 5xx and 503s from an ingress without a healthy upstream, 404/NotFound while objects appear, a
 * capture that read nothing yet, a wait not yet met.
 */
import type { Step } from '../core/model.js';
import type { StepOutput } from '../core/step.js';

/** curl's exit codes for failures a later attempt may not have. */
const CURL_TRANSIENT: Record<number, string> = {
  7: 'connection refused',
  28: 'timed out',
  52: 'empty reply from server',
  56: 'connection reset',
};

/** gRPC codes of a server that is not ready (NOT_FOUND: a model not loaded yet). */
const GRPC_TRANSIENT = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'NOT_FOUND']);

/** What a failing tool prints about the network or missing objects, in any kind's stderr or error. */
const TEXT_TRANSIENT: [RegExp, string][] = [
  [/connection refused|ECONNREFUSED/i, 'connection refused'],
  [/connection reset|ECONNRESET|socket hang up/i, 'connection reset'],
  [/i\/o timeout|ETIMEDOUT|timed out|deadline exceeded/i, 'timed out'],
  [/\bNotFound\b|\bnot found\b/i, 'not found yet'],
  [/\b503\b|Service Unavailable/i, 'service unavailable'],
];

/**
 * Why a failed attempt is worth another one (`HTTP 503`, `connection refused`), or undefined when the answer would
 * be the same. `output` is absent when the step threw; `error` is then its message. A shell step marked
 * `read-only` is opaque (its author asked for retries until it matches), so any failure of it is retried.
 */
export function retryReason(step: Step, output: StepOutput | undefined, error?: string): string | undefined {
  if (!output) return fromText(error ?? '');
  const data = output.data;
  if (data?.type === 'http' && (data.status >= 500 || data.status === 404)) return `HTTP ${data.status}`;
  if (data?.type === 'grpc' && GRPC_TRANSIENT.has(data.codeName)) return `gRPC ${data.codeName}`;
  if (data?.type === 'value' && data.value.trim() === '') return `${data.variable} is empty`;
  if (data?.type === 'wait' && data.pending.length > 0) {
    const [first] = data.pending;
    const more = data.pending.length > 1 ? ` and ${data.pending.length - 1} more` : '';
    return `not met yet: ${first?.object ?? ''}${first?.reason ? ` (${first.reason})` : ''}${more}`;
  }
  if (output.exitCode !== 0) {
    const curl = step.kind === 'curl' ? CURL_TRANSIENT[output.exitCode] : undefined;
    const reason = curl ?? fromText(`${output.stderr}\n${error ?? ''}`);
    if (reason) return reason;
  }
  if (step.kind === 'shell') return 'output does not match yet';
  return undefined;
}

function fromText(text: string): string | undefined {
  return TEXT_TRANSIENT.find(([pattern]) => pattern.test(text))?.[1];
}
