/**
 * Text comparison, the fallback of every kind and the whole of `shell`: both sides normalised, author patterns
 * honoured, and on a mismatch a unified diff of the recorded text against the projected actual text.
 */
import { structuredPatch } from 'diff';
import type { Diff, MatchResult } from './types.js';
import { splitLines } from '../core/text.js';
import { actualLines, compileLine, expectedLines, matchContains, matchSequence, type ActualLine } from './patterns.js';
import { firstDifference, project } from './align.js';
import { clampLine } from './locate.js';
import { normaliseLayout } from './normalise.js';
import { reorderActual, type Producer } from './unordered.js';

export type TextMode = 'default' | 'contains';

export interface TextOptions {
  /** Producers of the output whose blocks of lines have no defined order (`producersOf(step.command)`). */
  unordered?: readonly Producer[];
}

export function compareText(expected: string, actual: string, mode: TextMode = 'default', options: TextOptions = {}): MatchResult {
  const exp = expectedLines(expected);
  const act = actualLines(options.unordered?.length ? reorderActual(expected, actual, options.unordered) : actual);
  const expectedNormalised = exp.join('\n');
  const actualNormalised = act.map((l) => l.norm).join('\n');
  const ok = mode === 'contains' ? matchContains(exp, act) : matchSequence(exp, act);
  if (ok) return { ok, expectedNormalised, actualNormalised };
  // expectedLines drops the blank lines before the first one; count them back in.
  const offset = Math.max(splitLines(expected).findIndex((l) => expectedLines(l).length > 0), 0);
  const first = mode === 'contains' ? firstNotContained(exp, act) : (firstDifference(exp, act) ?? 0);
  const firstDifferingLine = clampLine(offset + first, expected);
  // For `contains`, extra actual lines are fine, so the diff shows only the recorded lines that were not found.
  const shown =
    mode === 'contains'
      ? project(exp, act, (i) => exp[i]!, () => undefined).filter((l): l is string => l !== undefined)
      : project(exp, act, (i) => exp[i]!, (j) => act[j]!.norm);
  let diff = textDiff(expectedNormalised, shown.join('\n'));
  // The projection can hide a difference the sequence matcher saw (a pattern used twice); show the plain diff then.
  if (diff.hunks.length === 0) diff = textDiff(expectedNormalised, actualNormalised);
  return { ok, expectedNormalised, actualNormalised, diff, firstDifferingLine };
}

/** The first recorded line (not `...`) that `expect=contains` could not find after the ones before it. */
function firstNotContained(expected: readonly string[], actual: readonly ActualLine[]): number {
  let j = 0;
  for (let i = 0; i < expected.length; i++) {
    const m = compileLine(expected[i]!);
    if (m.ellipsis) continue;
    while (j < actual.length && !m.test(actual[j]!)) j++;
    if (j === actual.length) return i;
    j++;
  }
  return 0;
}

/** `expect=exact`: no normalisation beyond line endings and the final newline. */
export function compareExact(expected: string, actual: string): MatchResult {
  const e = normaliseLayout(expected);
  const a = normaliseLayout(actual);
  if (e === a) return { ok: true, expectedNormalised: e, actualNormalised: a };
  const el = splitLines(e);
  const al = splitLines(a);
  const first = el.findIndex((line, k) => line !== al[k]);
  const firstDifferingLine = clampLine(first === -1 ? el.length : first, expected);
  return { ok: false, expectedNormalised: e, actualNormalised: a, diff: textDiff(e, a), firstDifferingLine };
}

/** A unified diff (3 lines of context) from the recorded text to the actual one. */
export function textDiff(expected: string, actual: string): Extract<Diff, { type: 'text' }> {
  const patch = structuredPatch('recorded', 'actual', withNewline(expected), withNewline(actual), undefined, undefined, {
    context: 3,
  });
  const hunks = patch.hunks.map((h) => ({ ...h, lines: [...h.lines] }));
  const body = hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n'));
  const unified = ['--- recorded', '+++ actual', ...body].join('\n');
  return { type: 'text', unified, hunks };
}

function withNewline(text: string): string {
  return splitLines(text).length === 0 ? '' : `${text}\n`;
}
