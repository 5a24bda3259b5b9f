/**
 * grpcurl: responses as JSON (one value per message), compared structurally; an `ERROR:` block by its
 * Code and Message.
 */
import type { GrpcurlStep } from '../core/model.js';
import type { MatchContext, MatchResult, PathEntry } from './types.js';
import { display, stringMatches } from './json-compare.js';
import { compareBody, MODEL_KEYS } from './curl.js';
import { grpcPath, splitAccepts } from './splits.js';
import { normalise } from './normalise.js';
import { splitLines } from '../core/text.js';
import { clampLine, lineOfKeys, pathKeys } from './locate.js';

export interface GrpcError {
  code: string;
  message: string;
}

/** The `ERROR:` block grpcurl prints on a failed call, if the text holds one. */
export function parseGrpcError(text: string): GrpcError | undefined {
  const m = /(?:^|\n)ERROR:[ \t]*\r?\n[ \t]*Code:[ \t]*(\S+)[ \t]*\r?\n[ \t]*Message:[ \t]*([^\r\n]*)/.exec(text);
  return m ? { code: m[1]!, message: m[2]!.trimEnd() } : undefined;
}

/** Everything before an `ERROR:` block: the messages that arrived before a stream failed. */
function messagesPart(text: string): string {
  const at = text.search(/(?:^|\n)ERROR:/);
  return at < 0 ? text : text.slice(0, at);
}

export function compareGrpcurl(step: GrpcurlStep, shown: string, ctx: MatchContext): MatchResult {
  const expected = step.expected?.text ?? '';
  const path = grpcPath(step.args.method);
  const accepts = (key: string, e: string, a: string) => MODEL_KEYS.has(key) && splitAccepts(ctx.splits, e, a, path);
  const expErr = parseGrpcError(expected);
  const actErr = parseGrpcError(shown);
  const entries: PathEntry[] = [];
  const lines = splitLines(expected);
  let first = Infinity;
  const mark = (k: number) => (first = Math.min(first, k < 0 ? lines.length : k));
  const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const expectedNormalised = normalise(expected);
  const actualNormalised = normalise(shown);
  if (expErr || actErr) {
    if (!expErr) {
      entries.push({ path: 'error', expected: '(none)', actual: `Code: ${actErr!.code}, Message: ${actErr!.message}` });
      mark(lines.length);
    } else if (!actErr) {
      entries.push({ path: 'error', expected: `Code: ${expErr.code}, Message: ${expErr.message}`, actual: '(none)' });
      mark(lineOf(/^ERROR:/));
    } else {
      if (expErr.code !== actErr.code) {
        entries.push({ path: 'error.code', expected: expErr.code, actual: actErr.code });
        mark(lineOf(/^\s*Code:/));
      }
      if (!stringMatches(expErr.message, actErr.message)) {
        entries.push({ path: 'error.message', expected: display(expErr.message), actual: display(actErr.message) });
        mark(lineOf(/^\s*Message:/));
      }
    }
  }
  const expMessages = messagesPart(expected);
  const actMessages = messagesPart(shown);
  if (expMessages.trim() !== '' || actMessages.trim() !== '') {
    const body = compareBody(expMessages, actMessages, accepts, '');
    if (body.type === 'json') {
      entries.push(...body.entries.map((e) => (e.path === '' ? { ...e, path: 'response' } : e)));
      // The messages come first in the recorded text, so their lines are its lines.
      for (const e of body.entries) mark(lineOfKeys(lines, pathKeys(e.path), 'json'));
    } else if (!body.result.ok) {
      mark(body.result.firstDifferingLine ?? 0);
      if (entries.length === 0) return { ...body.result, firstDifferingLine: clampLine(first, expected) };
      entries.push({ path: 'response', expected: display(normalise(expMessages)), actual: display(normalise(actMessages)) });
    }
  }
  const ok = entries.length === 0;
  return ok
    ? { ok, expectedNormalised, actualNormalised }
    : { ok, expectedNormalised, actualNormalised, diff: { type: 'paths', entries }, firstDifferingLine: clampLine(first, expected) };
}
