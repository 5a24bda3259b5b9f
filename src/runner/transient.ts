/**
 * Whether another attempt of a read-only step can change its answer. A mismatch that comes from what the step
 * read (a build's YAML, a 200 with another body) is the same next time: retrying it only delays the failure for
 * the whole retry budget. What converges is a cluster or a server still starting: connections refused, reset or
 * timing out, 5xx and 503s from an ingress without a healthy upstream, 404/NotFound while objects appear, a
 * capture that read nothing yet, a wait not yet met.
 *
 * A 404 (HTTP, `NotFound` in a tool's text, gRPC NOT_FOUND) is transient only while something can still make the
 * object appear: when a step of this runbook that writes (any step that is not read-only: apply, create, delete,
 * seldon load, a shell step not marked read-only) ended less than NOT_FOUND_WINDOW_MS ago. Without that, a runbook
 * whose curl asks for a model it never applied waited its whole retry budget before failing. A window after the
 * last write rather than "until every written object is Ready": readiness would mean knowing every kind's ready
 * condition and what each shell step wrote, and the common case, `kubectl wait` then curl, only needs the few
 * seconds a route or a model server takes to follow a Ready object. The window is measured from the write's end, so
 * a slow apply does not use it up.
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

const NOT_FOUND = 'not found yet';

/** gRPC codes of a server that is not ready (NOT_FOUND: a model not loaded yet, while a write may load it). */
const GRPC_TRANSIENT = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'NOT_FOUND']);

/** How long after the end of this runbook's last write a 404 may still turn into an answer. */
export const NOT_FOUND_WINDOW_MS = 10_000;

/** What a failing tool prints about the network or missing objects, in any kind's stderr or error. */
const TEXT_TRANSIENT: [RegExp, string][] = [
  [/connection refused|ECONNREFUSED/i, 'connection refused'],
  [/connection reset|ECONNRESET|socket hang up/i, 'connection reset'],
  [/i\/o timeout|ETIMEDOUT|timed out|deadline exceeded/i, 'timed out'],
  [/\bNotFound\b|\bnot found\b/i, NOT_FOUND],
  [/\b503\b|Service Unavailable/i, 'service unavailable'],
];

/** What the runbook did before this attempt that bears on whether a 404 can change. */
export interface RetryContext {
  /** Milliseconds since the last writing step of this runbook ended; absent when none has run. */
  sinceWriteMs?: number;
}

/**
 * Why a failed attempt is worth another one (`HTTP 503`, `connection refused`), or undefined when the answer would
 * be the same. `output` is absent when the step threw; `error` is then its message; `context` says whether a 404 can
 * still change (see the top of this file). A shell step marked
 * `read-only` is opaque (its author asked for retries until it matches), so any failure of it is retried.
 */
export function retryReason(step: Step, output: StepOutput | undefined, error?: string, context: RetryContext = {}): string | undefined {
  const canAppear = context.sinceWriteMs !== undefined && context.sinceWriteMs < NOT_FOUND_WINDOW_MS;
  const unlessGone = (reason: string | undefined) => (reason === NOT_FOUND && !canAppear ? undefined : reason);
  if (!output) return unlessGone(fromText(error ?? ''));
  const data = output.data;
  if (data?.type === 'http' && (data.status >= 500 || (data.status === 404 && canAppear))) return `HTTP ${data.status}`;
  if (data?.type === 'grpc' && GRPC_TRANSIENT.has(data.codeName) && (data.codeName !== 'NOT_FOUND' || canAppear)) {
    return `gRPC ${data.codeName}`;
  }
  if (data?.type === 'value' && data.value.trim() === '') return `${data.variable} is empty`;
  if (data?.type === 'wait' && data.pending.length > 0) {
    const [first] = data.pending;
    const more = data.pending.length > 1 ? ` and ${data.pending.length - 1} more` : '';
    return `not met yet: ${first?.object ?? ''}${first?.reason ? ` (${first.reason})` : ''}${more}`;
  }
  if (output.exitCode !== 0) {
    const curl = step.kind === 'curl' ? CURL_TRANSIENT[output.exitCode] : undefined;
    const reason = curl ?? unlessGone(fromText(`${output.stderr}\n${error ?? ''}`));
    if (reason) return reason;
  }
  if (step.kind === 'shell') return 'output does not match yet';
  return undefined;
}

function fromText(text: string): string | undefined {
  return TEXT_TRANSIENT.find(([pattern]) => pattern.test(text))?.[1];
}
