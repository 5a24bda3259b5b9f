/**
 * apply, wait and delete: kubectl prints one line per object, in an order that is not part of the contract.
 * Both sides become sets of canonical lines; the outcome words that mean the same success are merged.
 */
import type { MatchResult } from './types.js';
import { splitLines } from '../core/text.js';
import { compileLine, ELLIPSIS, hasPattern, isRegexLine } from './patterns.js';
import { normalise } from './normalise.js';
import { clampLine } from './locate.js';

export type LineKind = 'apply' | 'wait' | 'delete';

const APPLY = /^(\S+\/\S+) (created|configured|unchanged|serverside-applied)((?: \([^)]*\))*)$/;
const WAIT = /^(\S+) condition met$/;
// kubectl 1.34+ appends "from NS namespace"; `--force` says "force deleted".
const DELETE = /^(\S+) "([^"]+)" (?:force )?deleted(?: from \S+ namespace)?$/;
const ERROR = /^(?:error: |Error from server|error when )/;

/** The canonical form of one line, or undefined when the line is noise (a warning, a blank). */
export function canonicalLine(kind: LineKind, line: string, strictOutcome = false): string | undefined {
  if (kind === 'apply') {
    const m = APPLY.exec(line);
    if (m) return `${m[1]} ${strictOutcome ? m[2] : 'applied'}${m[3]}`;
  } else if (kind === 'wait') {
    if (WAIT.test(line)) return line;
  } else {
    const m = DELETE.exec(line);
    if (m) return `${m[1]} "${m[2]}" deleted`;
  }
  return ERROR.test(line) ? line : undefined;
}

interface Item {
  shown: string;
  key: string;
  /** Recorded: written with an author pattern. Actual: not an object line (a candidate for patterns only). */
  loose: boolean;
  /** The 0-based line it came from. */
  line: number;
}

function items(kind: LineKind, text: string, strict: boolean, recorded: boolean): { items: Item[]; open: boolean } {
  const out: Item[] = [];
  let open = false;
  for (const [line, raw] of splitLines(text).entries()) {
    const shown = normalise(raw);
    if (shown === '') continue;
    if (recorded && shown === ELLIPSIS) {
      open = true;
      continue;
    }
    const key = canonicalLine(kind, shown, strict);
    // Author patterns are judged on the line as written: a normalised `[IP]` in a warning is not one.
    if (recorded && hasPattern(raw)) out.push({ shown: isRegexLine(raw) ? raw.trimEnd() : shown, key: key ?? shown, loose: true, line });
    else if (key !== undefined) out.push({ shown, key, loose: false, line });
    else if (!recorded) out.push({ shown, key: shown, loose: true, line });
  }
  return { items: out, open };
}

/**
 * Compares the object lines of both sides as multisets. A recorded line with a pattern matches any actual
 * line it accepts; a recorded `...` allows extra actual lines. Other lines (warnings) are not compared.
 */
export function compareLineSets(kind: LineKind, expected: string, actual: string, strictOutcome = false): MatchResult {
  const exp = items(kind, expected, strictOutcome, true);
  const act = items(kind, actual, strictOutcome, false).items;
  const expectedNormalised = exp.items.map((i) => i.key).sort().join('\n');
  const actualNormalised = act.filter((a) => !a.loose).map((i) => i.key).sort().join('\n');
  const used = new Set<number>();
  const missing: string[] = [];
  let firstMissing = Infinity;
  // Exact keys first, so a pattern line cannot steal the line a literal one needs.
  const pending: Item[] = [];
  for (const e of exp.items) {
    const j = act.findIndex((a, k) => !used.has(k) && !a.loose && a.key === e.key);
    if (j >= 0) used.add(j);
    else pending.push(e);
  }
  for (const e of pending) {
    const m = compileLine(e.shown);
    const j = e.loose
      ? act.findIndex((a, k) => !used.has(k) && (m.test({ raw: a.shown, norm: a.shown }) || m.test({ raw: a.key, norm: a.key })))
      : -1;
    if (j >= 0) used.add(j);
    else {
      missing.push(e.shown);
      firstMissing = Math.min(firstMissing, e.line);
    }
  }
  const extra = exp.open ? [] : act.filter((a, k) => !used.has(k) && !a.loose).map((a) => a.shown);
  const ok = missing.length === 0 && extra.length === 0;
  return ok
    ? { ok, expectedNormalised, actualNormalised }
    : {
        ok,
        expectedNormalised,
        actualNormalised,
        diff: { type: 'lines', missing, extra },
        // A missing object's line; extra objects alone would go after the recorded ones.
        firstDifferingLine: clampLine(Number.isFinite(firstMissing) ? firstMissing : splitLines(expected).length, expected),
      };
}

/** True when the text holds at least one line this kind understands (otherwise the caller compares text). */
export function hasObjectLines(kind: LineKind, text: string): boolean {
  return splitLines(text).some((l) => canonicalLine(kind, normalise(l)) !== undefined);
}
