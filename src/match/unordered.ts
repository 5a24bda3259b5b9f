/**
 * Blocks of lines whose order their producer does not define, declared per producer: the Seldon CLI's
 * `--show-headers` lines (it ranges over Go maps, whose order is random), HTTP response headers (a proxy may
 * reorder them), and the rows of `seldon server list`. The actual lines of such a block are put in the order of
 * the recorded block before the texts are compared, so a reordering is no difference but a changed, added or
 * missing line still is.
 */
import { splitLines } from '../core/text.js';
import { normalise } from './normalise.js';
import { compileLine, isRegexLine } from './patterns.js';
import { ruleOn } from './rules.js';

export type Producer = 'SHOW_HEADERS' | 'HTTP_HEADERS' | 'SERVER_LIST';

type Block = [start: number, end: number];

/** `Request header Content-Type:[application/json]`: the kind of line is its first two words. */
const SHOW_HEADER = /^(?:Request|Response) (?:header|trailer|metadata) [^:\s]+:\[/;
const CURL_HEADER = /^< [^:\s]+:/;
const STATUS_LINE = /^(?:< )?HTTP\/\d(?:\.\d)? \d{3}\b/;
const PLAIN_HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+:[ \t]/;

/** Maximal runs of consecutive lines for which `key` gives one same defined key. */
function runs(lines: readonly string[], key: (line: string) => string | undefined): Block[] {
  const out: Block[] = [];
  let k = 0;
  while (k < lines.length) {
    const first = key(lines[k]!);
    if (first === undefined) {
      k++;
      continue;
    }
    let end = k + 1;
    while (end < lines.length && key(lines[end]!) === first) end++;
    if (end - k > 1) out.push([k, end]);
    k = end;
  }
  return out;
}

const shapes: Record<Producer, (lines: readonly string[]) => Block[]> = {
  SHOW_HEADERS: (lines) => runs(lines, (l) => (SHOW_HEADER.test(l) ? l.split(' ', 2).join(' ') : undefined)),
  HTTP_HEADERS: (lines) => {
    const blocks = runs(lines, (l) => (CURL_HEADER.test(l) && !STATUS_LINE.test(l) ? '<' : undefined));
    // `-i` and `-I` print the headers without `< `, after the status line, up to a blank line.
    lines.forEach((l, k) => {
      if (!STATUS_LINE.test(l) || l.startsWith('<')) return;
      let end = k + 1;
      while (end < lines.length && PLAIN_HEADER.test(lines[end]!)) end++;
      if (end - (k + 1) > 1) blocks.push([k + 1, end]);
    });
    return blocks.sort((a, b) => a[0] - b[0]);
  },
  SERVER_LIST: (lines) => {
    // A table: a header line, maybe a `----` underline, then one row per server.
    const header = lines.findIndex((l) => l.trim() !== '');
    if (header < 0) return [];
    let start = header + 1;
    while (start < lines.length && /^[-\s]+$/.test(lines[start]!) && lines[start]!.includes('-')) start++;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '') end++;
    return end - start > 1 ? [[start, end]] : [];
  },
};

/** The producers whose unordered blocks a command's output may hold, from the command's text. */
export function producersOf(command: string): Producer[] {
  const out: Producer[] = [];
  if (/\bcurl\b/.test(command)) out.push('HTTP_HEADERS');
  if (/\bseldon\b[^\n]*--show-headers\b/.test(command)) out.push('SHOW_HEADERS');
  if (/\bseldon\s+server\s+list\b/.test(command)) out.push('SERVER_LIST');
  return out;
}

/**
 * `actual` with the lines of each unordered block put in the order of the recorded block at the same rank: each
 * recorded line (author patterns honoured) takes the first actual line of the block it accepts; actual lines no
 * recorded line took follow, in their own order. Nothing else moves, and no line is added or dropped.
 */
export function reorderActual(expected: string, actual: string, producers: readonly Producer[]): string {
  const on = producers.filter((p) => ruleOn(p));
  if (on.length === 0) return actual;
  const exp = splitLines(expected);
  const act = splitLines(actual);
  let changed = false;
  for (const p of on) {
    const eBlocks = shapes[p](exp);
    const aBlocks = shapes[p](act);
    eBlocks.forEach(([es, ee], rank) => {
      const a = aBlocks[rank];
      if (!a) return;
      const [as, ae] = a;
      const pool = act.slice(as, ae).map((raw) => ({ raw, norm: normalise(raw) }));
      const taken = new Array<boolean>(pool.length).fill(false);
      const ordered: string[] = [];
      for (const line of exp.slice(es, ee)) {
        const m = compileLine(isRegexLine(line) ? line.trimEnd() : normalise(line));
        const at = pool.findIndex((l, k) => !taken[k] && m.test(l));
        if (at < 0) continue;
        taken[at] = true;
        ordered.push(pool[at]!.raw);
      }
      ordered.push(...pool.filter((_, k) => !taken[k]).map((l) => l.raw));
      if (ordered.some((l, k) => l !== act[as + k])) changed = true;
      act.splice(as, ordered.length, ...ordered);
    });
  }
  return changed ? act.join('\n') : actual;
}
