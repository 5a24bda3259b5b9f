/**
 * API errors as kubectl reports them: the server's Status (core's `ApiError`, thrown by the REST client), formatted
 * by kubectl's `StandardErrorMessage`.
 */
import { ApiError, type ApiStatus } from '../core/api-status.js';

/** A copy whose message says what kubectl was doing and from which source (`error when creating "STDIN": …`). */
export function withSource(error: ApiError, verb: string, source: string): ApiError {
  if (!source) return error;
  return new ApiError({ ...error.status, message: `error when ${verb} ${goQuote(source)}: ${error.status.message ?? ''}` });
}

/** The API server could not be reached; kubectl prints these without an `error: ` prefix. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** kubectl's words for a failed connection to `server` (client-go's dial errors as cmdutil prints them). */
export function connectionError(server: URL, cause: unknown): ConnectionError {
  const code = (cause as { code?: string }).code;
  const host = server.host || server.hostname;
  if (code === 'ECONNREFUSED') {
    return new ConnectionError(`The connection to the server ${host} was refused - did you specify the right host or port?`, { cause });
  }
  return new ConnectionError(`Unable to connect to the server: ${(cause as Error).message ?? String(cause)}`, { cause });
}

/** kubectl's canned messages for error answers that carry no Status (client-go `newUnstructuredResponseError`). */
const cannedReasons: Record<number, [string, string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  403: ['Forbidden', 'the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Expired', 'the resource version is too old'],
  415: ['UnsupportedMediaType', 'the server does not support the media type'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

/** Builds the error for an HTTP error answer, whether or not its body is a Status. */
export function apiErrorFrom(code: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as ApiStatus;
    if (parsed && parsed.kind === 'Status') return new ApiError({ ...parsed, code: parsed.code ?? code });
  } catch {
    // Not JSON: fall through to kubectl's canned message.
  }
  const canned = cannedReasons[code];
  if (canned) return new ApiError({ code, reason: canned[0], message: canned[1] });
  const reason = code >= 500 ? 'InternalError' : '';
  const trimmed = body.trim();
  return new ApiError({ code, reason, message: `an error on the server (${goQuote(trimmed || 'unknown')}) has prevented the request from succeeding` });
}

/** Go's `%q` for the strings kubectl quotes (names, sources): double quotes, backslash escapes. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** One error as kubectl's `StandardErrorMessage` prints it, without the trailing newline. */
export function standardMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const s = error.status;
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? ''})`;
    if (s.reason) return `Error from server (${s.reason}): ${s.message ?? ''}`;
    return `Error from server: ${s.message ?? ''}`;
  }
  if (error instanceof ConnectionError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('error: ') ? message : `error: ${message}`;
}

/**
 * What kubectl prints on stderr when a command ends with these errors (`cmdutil.CheckErr`): one error alone gets
 * the Invalid special case, several are printed one per line. Ends with a newline.
 */
export function formatErrors(errors: unknown[]): string {
  if (errors.length === 0) return '';
  // An unreachable server fails every object alike; kubectl stops at the first and says it once.
  const unreachable = errors.find((e) => e instanceof ConnectionError);
  if (unreachable) return `${standardMessage(unreachable)}\n`;
  // Several errors: kubectl prints each bare (`messageForError`), so a plain error loses the `error: ` a lone one gets.
  if (errors.length > 1) return errors.map((e) => `${standardMessage(e).replace(/^error: /, '')}\n`).join('');
  const [error] = errors;
  if (error instanceof ApiError && error.reason === 'Invalid') return formatInvalid(error.status);
  return `${standardMessage(error)}\n`;
}

function formatInvalid(status: ApiStatus): string {
  const details = status.details;
  let s = 'The request is invalid';
  if (!details) return status.message ? `${s}: ${status.message}\n` : `${s}\n`;
  if (details.kind || details.name) s = `The ${details.kind ?? ''} ${goQuote(details.name ?? '')} is invalid`;
  const seen = new Set<string>();
  const causes: string[] = [];
  for (const cause of details.causes ?? []) {
    const line = `${cause.field ?? ''}: ${cause.message ?? ''}`;
    if (!seen.has(line)) causes.push(line);
    seen.add(line);
  }
  if (causes.length === 0) return `${s}\n`;
  if (causes.length === 1) return `${s}: ${causes[0]}\n`;
  return `${s}: \n${causes.map((c) => `* ${c}\n`).join('')}`;
}
