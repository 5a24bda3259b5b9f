/**
 * curl: the recorded output is either a `-v` transcript (stderr lines, then the body) or a plain body, possibly
 * with `-i` headers. Compared: the request line, the status, the recorded response headers that are not
 * volatile, and the body (JSON structurally, text otherwise). `*` lines and request headers are noise.
 */
import type { CurlArgs, CurlStep } from '../core/model.js';
import type { StepOutput } from '../core/step.js';
import type { MatchContext, MatchResult, PathEntry } from './types.js';
import { compareJson, display, joinPath, parseJsonStream, stringMatches } from './json-compare.js';
import { compareText } from './text.js';
import { splitAccepts, urlPath } from './splits.js';
import { normalise } from './normalise.js';
import { clampLine, lineOfKeys, pathKeys } from './locate.js';
import { splitLines } from '../core/text.js';
import { ruleOn } from './rules.js';

export interface HttpTranscript {
  request?: { method: string; target: string };
  status?: number;
  headers: [string, string][];
  body: string;
}

/** Headers whose values change from run to run; `server` is compared without version numbers. */
export const VOLATILE_HEADERS = new Set([
  'date',
  'content-length',
  'x-envoy-upstream-service-time',
  'x-request-id',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'age',
  'etag',
  'last-modified',
  'expires',
]);
/** Headers and body keys that name the model that answered: a traffic split may pick another. */
export const MODEL_KEYS = new Set(['seldon-route', 'x-seldon-route', 'model_name', 'modelName']);

// What curl -v prints once the transfer is over, between or after body lines.
const AFTER_BODY = /^\* (?:Connection #\d+ to host \S+ left intact|Closing connection -?\d+)$/;
const STATUS = /^HTTP\/[\d.]+ (\d{3})(?: .*)?$/;
// A trace line in the middle of the body: only the forms curl prints (a capital or the indent of `*   Trying`).
const TRACE = /^(?:\* (?:[A-Z]|\s)|[<>] |[<>]$)/;
const GLUED_TRACE = /(?<=\S)\* (?:Connection #\d+ to host \S+ left intact|Closing connection -?\d+)$/;
// curl's trace markers for data it sent or received: `{ [5 bytes data]`, `} [94 bytes data]`.
const DATA_MARK = /^[{}] \[[^\]]*\]$/;

const SIZE = '[\\d.]+[kMGTP]?';
const TIME = '(?:--:--:--|\\d+:\\d\\d:\\d\\d|\\d+d \\d\\dh|\\d+h)';
const METER_ROW = new RegExp(`\\r?(?:[ \\t]*${SIZE}){8}(?:[ \\t]+${TIME}){3}[ \\t]+${SIZE}[ \\t]*(?=\\r|\\n|\\*|$)`, 'g');
const METER_TIMES = new RegExp(`${TIME}[ \\t]+${TIME}`);
const METER_HEAD = /^ *% Total +% Received % Xferd +Average Speed.*\r?\n^ +Dload +Upload +Total +Spent +Left +Speed\r?\n/gm;

/**
 * Removes curl's progress meter (on stderr unless `-s`): its two header lines and every `\r`-refreshed row,
 * which may share a line with the next `*` line. A terminal shows it, a recording never holds it usefully.
 */
export function stripProgress(text: string): string {
  // The row pattern is costly on long texts; a meter row always holds two time columns side by side.
  if (!METER_TIMES.test(text)) return text;
  const lines = text.replace(METER_HEAD, '').split('\n');
  // A line that held only meter rows disappears; a row sharing its line with a `*` line leaves that line.
  return lines
    .flatMap((l) => {
      const rest = l.replace(METER_ROW, '');
      if (rest === l) return [l];
      const kept = rest.replace(/^\r+/, '');
      return kept === '' ? [] : [kept];
    })
    .join('\n');
}

/** Parses what a terminal showed for a curl command (with or without `-v`/`-i`). */
export function parseTranscript(text: string): HttpTranscript {
  const out: HttpTranscript = { headers: [], body: '' };
  const lines = splitLines(stripProgress(text));
  const body: string[] = [];
  let requestSeen = false;
  let inBody = false;
  // Rule CURL_INTERLEAVE: stdout and stderr share the terminal, so trace lines may land among the body's lines,
  // and the body's last line, which has no newline, may have the trace's next line glued to its end.
  const interleaved = ruleOn('CURL_INTERLEAVE');
  for (const raw of lines) {
    const line = interleaved && !/^[*<>](?: |$)/.test(raw) ? raw.replace(GLUED_TRACE, '') : raw;
    if ((!inBody || (interleaved && TRACE.test(line))) && /^[*<>](?: |$)/.test(line)) {
      const rest = line.slice(2).trimEnd();
      if (line[0] === '>') {
        const m = /^([A-Z]+) (\S+) HTTP\/[\d.]+$/.exec(rest);
        if (m && !requestSeen) out.request = { method: m[1]!, target: m[2]! };
        if (m) requestSeen = true;
      } else if (line[0] === '<') readHeader(out, rest);
      continue;
    }
    // Before the body, a `...` stands for transcript lines, which are compared loosely anyway.
    if (!inBody && (DATA_MARK.test(line.trimEnd()) || line.trim() === '' || line.trim() === '...')) continue;
    inBody = true;
    body.push(line);
  }
  // Newer curls report the connection's fate after the body has been written; on a terminal it lands where stdio
  // released the body (after its last newline), so it may sit between body lines.
  for (let k = body.length - 1; k >= 0; k--) if (AFTER_BODY.test(body[k]!.trimEnd())) body.splice(k, 1);
  while (body.length > 0 && /^\* |^\s*$/.test(body[body.length - 1]!)) body.pop();
  // `-i` prints the status line and headers on stdout, before the body and a blank line.
  if (out.status === undefined && body.length > 0 && STATUS.test(body[0]!.trimEnd())) {
    let k = 0;
    for (; k < body.length && body[k]!.trim() !== ''; k++) readHeader(out, body[k]!.trimEnd());
    body.splice(0, k + 1);
  }
  out.body = body.join('\n');
  return out;
}

function readHeader(out: HttpTranscript, line: string): void {
  const status = STATUS.exec(line);
  if (status) {
    // A later response (after a redirect or `100 Continue`) replaces the earlier one.
    out.status = Number(status[1]);
    out.headers = [];
    return;
  }
  const colon = line.indexOf(':');
  if (colon > 0) out.headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
}

const serverFamily = (v: string) => v.replace(/[/ ]?v?\d+(?:\.\d+)*(?:[-+][\w.]+)?/g, '').trim();

/**
 * The actual side: status and headers from the step's structured HTTP data when there is some, else from its
 * printed form. The body is the response's only when curl printed it: `-o` sends it to a file, `-I` has none,
 * `--fail` drops it on an error status, and `-w` appends its own text to it; then what curl printed counts.
 */
function actualTranscript(args: CurlArgs, output: StepOutput, shown: string): HttpTranscript {
  const parsed = parseTranscript(shown);
  if (output.data?.type !== 'http') return parsed;
  const h = output.data;
  const printed = args.output === undefined && args.writeOut === undefined && !args.head && !(args.fail && h.status >= 400);
  return {
    request: parsed.request,
    status: h.status,
    headers: Object.entries(h.headers).map(([k, v]) => [k.toLowerCase(), v]),
    body: printed ? h.body : parsed.body,
  };
}

export function compareCurl(step: CurlStep, output: StepOutput, shown: string, ctx: MatchContext): MatchResult {
  const expected = step.expected?.text ?? '';
  const exp = parseTranscript(expected);
  const act = actualTranscript(step.args, output, shown);
  const path = urlPath(step.args.url);
  const accepts = (key: string, e: string, a: string) => MODEL_KEYS.has(key) && splitAccepts(ctx.splits, e, a, path);
  const entries: PathEntry[] = [];
  const lines = splitLines(expected);
  // The recorded line of each difference; the first one is where reports point.
  let first = Infinity;
  const mark = (k: number) => (first = Math.min(first, k < 0 ? lines.length : k));

  if (exp.request && act.request) {
    const e = `${exp.request.method} ${normalise(exp.request.target)}`;
    const a = `${act.request.method} ${normalise(act.request.target)}`;
    if (!stringMatches(e, a)) {
      entries.push({ path: 'request', expected: display(e), actual: display(a) });
      mark(lines.findIndex((l) => /^> [A-Z]+ \S+ HTTP\//.test(l)));
    }
  }
  if (exp.status !== undefined && exp.status !== act.status) {
    entries.push({ path: 'status', expected: String(exp.status), actual: act.status === undefined ? '(missing)' : String(act.status) });
    mark(lines.findLastIndex((l) => STATUS.test(l.replace(/^< /, '').trimEnd())));
  }
  const actualHeaders = new Map(act.headers);
  const headerLine = (name: string) => lines.findLastIndex((l) => l.replace(/^< /, '').toLowerCase().startsWith(`${name}:`));
  for (const [name, value] of exp.headers) {
    if (VOLATILE_HEADERS.has(name)) continue;
    const got = actualHeaders.get(name);
    const p = joinPath('headers', name);
    if (got === undefined) {
      entries.push({ path: p, expected: display(value), actual: '(missing)' });
      mark(headerLine(name));
    } else if (name === 'server' ? serverFamily(value) !== serverFamily(got) : !stringMatches(value, got) && !accepts(name, value, got)) {
      entries.push({ path: p, expected: display(value), actual: display(got) });
      mark(headerLine(name));
    }
  }

  const bodyResult = compareBody(exp.body, act.body, accepts);
  const bodyAt = bodyStart(lines, exp.body);
  const shownExpected = [exp.status !== undefined ? `status ${exp.status}` : '', normalise(exp.body)].filter(Boolean).join('\n');
  const shownActual = [act.status !== undefined ? `status ${act.status}` : '', normalise(act.body)].filter(Boolean).join('\n');
  if (bodyResult.type === 'text') {
    if (entries.length === 0 && bodyResult.result.ok) return { ok: true, expectedNormalised: shownExpected, actualNormalised: shownActual };
    if (!bodyResult.result.ok) mark(bodyAt + (bodyResult.result.firstDifferingLine ?? 0));
    if (entries.length === 0) return { ...bodyResult.result, firstDifferingLine: clampLine(first, expected) };
    if (!bodyResult.result.ok) entries.push({ path: 'body', expected: display(normalise(exp.body)), actual: display(normalise(act.body)) });
  } else {
    entries.push(...bodyResult.entries);
    for (const e of bodyResult.entries) mark(lineOfKeys(lines, pathKeys(e.path).slice(1), 'json', bodyAt));
  }
  const ok = entries.length === 0;
  return ok
    ? { ok, expectedNormalised: shownExpected, actualNormalised: shownActual }
    : {
        ok,
        expectedNormalised: shownExpected,
        actualNormalised: shownActual,
        diff: { type: 'paths', entries },
        firstDifferingLine: clampLine(first, expected),
      };
}

/**
 * The recorded line where the body starts: its first line, after the transcript (`<`/`>` lines) and any `-i`
 * header block; just after them when the body is empty.
 */
function bodyStart(lines: readonly string[], body: string): number {
  let after = lines.findLastIndex((l) => /^[<>](?: |$)/.test(l));
  const status = lines.findIndex((l, k) => k > after && STATUS.test(l.trimEnd()));
  if (status >= 0) {
    const blank = lines.findIndex((l, k) => k > status && l.trim() === '');
    after = blank >= 0 ? blank : lines.length;
  }
  const firstLine = splitLines(body)[0]?.trimEnd();
  const at = firstLine === undefined ? -1 : lines.findIndex((l, k) => k > after && l.trimEnd() === firstLine);
  return at >= 0 ? at : Math.min(after + 1, lines.length);
}

type BodyResult = { type: 'json'; entries: PathEntry[] } | { type: 'text'; result: MatchResult };

/** Compares bodies: JSON structurally when the recorded one is JSON, else as text. */
export function compareBody(
  expected: string,
  actual: string,
  accepts: (key: string, e: string, a: string) => boolean,
  base = 'body',
): BodyResult {
  const e = expected.trim() === '' ? undefined : parseJsonStream(expected);
  if (!e) return { type: 'text', result: compareText(expected, actual) };
  const a = actual.trim() === '' ? undefined : parseJsonStream(actual);
  const entries: PathEntry[] = [];
  if (!a) {
    const shown = actual.trim() === '' ? '(empty)' : display(normalise(actual));
    entries.push({ path: base, expected: display(e.length === 1 ? e[0] : e), actual: shown });
    return { type: 'json', entries };
  }
  if (e.length === 1 && a.length === 1) compareJson(e[0], a[0], base, entries, { accepts });
  else compareJson(e, a, base, entries, { accepts });
  return { type: 'json', entries };
}
