/**
 * Author patterns in recorded output, and line-sequence matching with them:
 * `[..]` within a line, `...` alone on a line for any number of lines, a line ending in ` (re)` for a
 * regular expression, and named placeholders (`[UUID]`, `[XID]`, `[IP]`, `[DATE]`, `[NUMBER]`, …, and `[REDACTED]`).
 */
import { splitLines, trimBlankEdges } from '../core/text.js';
import { IPV4, IPV6, normalise } from './normalise.js';

export const ELLIPSIS = '...';
const RE_SUFFIX = ' (re)';

/** What each placeholder accepts in a raw line (a normalised line already holds the placeholder itself). */
const PLACEHOLDERS: Record<string, string> = {
  UUID: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  // An address in either family, IPv6 possibly bracketed: never a bare hex word such as `ab` or `cafe`.
  IP: `\\[${IPV6}\\]|${IPV6}|${IPV4}`,
  PORT: '\\d{1,5}',
  DATE: '[^\\n]*?\\d{2}:\\d{2}:\\d{2}[^\\s,"]*(?: (?:GMT|UTC|[+-]\\d{4}))?',
  DURATION: '(?:\\d+(?:\\.\\d+)?(?:ms|us|µs|ns|[smhdy]))+|<invalid>',
  SUFFIX: '[a-z0-9]+(?:-[a-z0-9]+)?',
  RV: '\\d+',
  NUMBER: '-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?',
  COUNT: '\\d+',
  HEX: '[0-9a-fA-F]+',
  XID: '[0-9a-v]{20}',
  // What --update writes in place of a credential the run saw: any value, so the next run still matches.
  REDACTED: '.+?',
};

const TOKEN = /\[(\.\.|[A-Z]+)\]/g;

/** One expected line, compiled. */
export interface LineMatcher {
  /** The line as written (normalised unless it is a regex line). */
  text: string;
  ellipsis: boolean;
  /** True when the line holds an author pattern (`[..]`, a placeholder, or ` (re)`). */
  pattern: boolean;
  test(actual: ActualLine): boolean;
}

/** One actual line, raw and normalised: placeholders and regexes may match either form. */
export interface ActualLine {
  raw: string;
  norm: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function isRegexLine(line: string): boolean {
  return line.trimEnd().endsWith(RE_SUFFIX);
}

/** True when a line of recorded output uses any author pattern. */
export function hasPattern(line: string): boolean {
  if (line.trim() === ELLIPSIS || isRegexLine(line)) return true;
  for (const m of line.matchAll(TOKEN)) if (m[1] === '..' || m[1]! in PLACEHOLDERS) return true;
  return false;
}

const cache = new Map<string, LineMatcher>();

export function compileLine(text: string): LineMatcher {
  const hit = cache.get(text);
  if (hit) return hit;
  const made = compile(text);
  if (cache.size > 5_000) cache.clear();
  cache.set(text, made);
  return made;
}

function compile(text: string): LineMatcher {
  if (text.trim() === ELLIPSIS) return { text, ellipsis: true, pattern: true, test: () => true };
  if (isRegexLine(text)) {
    const source = text.trimEnd().slice(0, -RE_SUFFIX.length);
    let re: RegExp | undefined;
    try {
      re = new RegExp(`^(?:${source})$`);
    } catch {
      // An invalid regex is taken literally: the author sees it fail as text rather than a crash.
      re = undefined;
    }
    const literal = re === undefined;
    return {
      text,
      ellipsis: false,
      pattern: !literal,
      // The line itself is accepted too, so that a recording always matches itself.
      test: (a) => a.raw.trimEnd() === text || (re ? re.test(a.raw.trimEnd()) || re.test(a.norm) : a.norm === text),
    };
  }
  if (!hasPattern(text)) return { text, ellipsis: false, pattern: false, test: (a) => a.norm === text };
  let source = '';
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const name = m[1]!;
    if (name !== '..' && !(name in PLACEHOLDERS)) continue;
    source += escape(text.slice(last, m.index));
    source += name === '..' ? '.*?' : `(?:\\[${name}\\]|${PLACEHOLDERS[name]})`;
    last = m.index + m[0].length;
  }
  source += escape(text.slice(last));
  const re = new RegExp(`^${source}$`);
  return { text, ellipsis: false, pattern: true, test: (a) => re.test(a.norm) || re.test(a.raw.trimEnd()) };
}

/** The actual side, line by line; blank lines at either end are dropped. */
export function actualLines(text: string): ActualLine[] {
  const lines = splitLines(text).map((raw) => ({ raw, norm: normalise(raw) }));
  return trimBlankEdges(lines, (l) => l.norm === '');
}

/** The recorded side, line by line: normalised, except regex lines, which are kept as written. */
export function expectedLines(text: string): string[] {
  const lines = splitLines(text).map((l) => (isRegexLine(l) ? l.trimEnd() : normalise(l)));
  return trimBlankEdges(lines, (l) => l === '');
}

/** True when the expected lines, with `...` spanning any run of lines, match the actual lines one for one. */
export function matchSequence(expected: readonly string[], actual: readonly ActualLine[]): boolean {
  const matchers = expected.map(compileLine);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (actual.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === matchers.length) result = j === actual.length;
    else if (matchers[i]!.ellipsis) result = go(i + 1, j) || (j < actual.length && go(i, j + 1));
    else result = j < actual.length && matchers[i]!.test(actual[j]!) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** True when every expected line (other than `...`) appears in the actual lines, in order. */
export function matchContains(expected: readonly string[], actual: readonly ActualLine[]): boolean {
  let j = 0;
  for (const m of expected.map(compileLine)) {
    if (m.ellipsis) continue;
    while (j < actual.length && !m.test(actual[j]!)) j++;
    if (j === actual.length) return false;
    j++;
  }
  return true;
}
