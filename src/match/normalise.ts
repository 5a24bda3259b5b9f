/**
 * Normalisers: what varies between two runs of the same runbook (addresses, ids, dates, ages, generated names)
 * is replaced by a named placeholder on both sides before they are compared. Every rule keeps line structure,
 * so line N of a normalised text is line N of the raw text.
 */

import { JSON_SPACING, volatileRules } from './volatile.js';
import { ruleOn, rulesKey } from './rules.js';

export interface Normaliser {
  /** Placeholder it writes, also accepted by authors in recorded output. */
  name: string;
  apply(text: string): string;
}

// Kubernetes' random-name alphabet: no vowels and no 0, 1, 3, so English words rarely look like suffixes.
const KALPHA = '[bcdfghjklmnpqrstvwxz2456789]';
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H16 = '[0-9a-fA-F]{1,4}';
export const IPV6 = `(?:(?:${H16}:){7}${H16}|(?:${H16}(?::${H16})*)?::(?:${H16}(?::${H16})*)?)`;
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';

const rule = (name: string, pattern: RegExp, replacement: string | ((...m: string[]) => string)): Normaliser => ({
  name,
  apply: (text) => text.replace(pattern, replacement as string),
});

const mixed = (s: string) => /\d/.test(s) && /[a-z]/.test(s);

/** In order: layout first, then the tokens, most specific first (a date holds colons an IPv6 rule would take). */
export const normalisers: readonly Normaliser[] = [
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences are control characters by definition.
  rule('ANSI', /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, ''),
  rule('CRLF', /\r+\n/g, '\n'),
  rule('TRAILING', /[ \t]+$/gm, ''),
  JSON_SPACING,
  ...volatileRules,
  rule('DATE', new RegExp(`\\b${DAY}, \\d{1,2} ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2}(?: (?:GMT|UTC|[+-]\\d{4}))?`, 'g'), '[DATE]'),
  rule('DATE', /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}(?: [A-Z]{3,4})?)?(?![\w]|\.\d)/g, '[DATE]'),
  rule('UUID', /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '[UUID]'),
  rule('RV', /(resourceVersion"?\s*[:=]\s*"?)\d+/g, '$1[RV]'),
  rule('IP', new RegExp(`\\[(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\\](?=:\\d|[^\\w:]|$)`, 'g'), '[IP]'),
  rule('IP', new RegExp(`(?<![\\w:.\\[])${IPV6}(?![\\w:])`, 'g'), '[IP]'),
  rule('IP', new RegExp(`(?<![\\w.])${IPV4}(?![\\w]|\\.\\d)`, 'g'), '[IP]'),
  rule('PORT', /\[IP\]:\d{1,5}(?!\d)/g, '[IP]:[PORT]'),
  // NodePorts (30000-32767) in `kubectl get svc` PORT(S) columns are assigned at random.
  rule('PORT', /(?<![\w.])(\d{1,5}):3[0-2]\d{3}\/(TCP|UDP|SCTP)\b/g, '$1:[PORT]/$2'),
  rule('SUFFIX', new RegExp(`(?<=[a-z0-9])-${KALPHA}{6,10}-${KALPHA}{5}(?![\\w-])`, 'g'), '-[SUFFIX]'),
  rule('SUFFIX', new RegExp(`(?<=[a-z0-9])-(${KALPHA}{5}|${KALPHA}{8,10})(?![\\w-])`, 'g'), (m: string, s: string) =>
    mixed(s) ? '-[SUFFIX]' : m,
  ),
  rule('DURATION', /(?<![\w.:/[-])(?:\d+(?:\.\d+)?(?:ms|us|\u00B5s|ns|[smhdy]))+(?![\w]|\.\d)|<invalid>/g, '[DURATION]'),
];

const BLANK_EDGES = /^(?:[ \t]*\n)+|(?:\n[ \t]*)+$/g;

// Lines repeat (both recordings, every attempt of a retried step, each rule `compare` switches off): remember them.
const memo = new Map<string, string>();
const MEMO_MAX = 20_000;
const MEMO_TEXT_MAX = 4_096;

/** Normalises one text; idempotent (rules run to a fixpoint). Leading and trailing blank lines are dropped. */
export function normalise(text: string): string {
  if (text.length > MEMO_TEXT_MAX) return compute(text);
  const k = `${rulesKey()}\u0000${text}`;
  const hit = memo.get(k);
  if (hit !== undefined) return hit;
  const made = compute(text);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(k, made);
  return made;
}

function compute(text: string): string {
  let current = text;
  for (let pass = 0; pass < 4; pass++) {
    let next = current;
    for (const n of normalisers) if (ruleOn(n.name)) next = n.apply(next);
    next = next.replace(BLANK_EDGES, '');
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Line endings and trailing whitespace only: what `expect=exact` still forgives. */
export function normaliseLayout(text: string): string {
  return text.replace(/\r+\n/g, '\n').replace(/\n+$/, '');
}

/** Runs one named rule alone (for tests and for callers that want a single kind of token). */
export function normaliseOnly(name: string, text: string): string {
  return normalisers.filter((n) => n.name === name).reduce((t, n) => n.apply(t), text);
}
