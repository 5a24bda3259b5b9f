/**
 * The line-level merge behind `--update`: the new recorded output is the actual output, except that every
 * recorded line which still matches its counterpart (an author pattern such as `[..]`, `...`, `(re)`, or a value
 * that only differs by what normalisation ignores) is kept as the author wrote it.
 */
import type { Step } from '../core/model.js';
import { alignment, type Equivalence } from '../match/align.js';
import { equivalenceOf, ignoredLineOf } from '../match/equivalence.js';
import { refineJsonLine } from './refine.js';
import { matchStep } from '../match/index.js';
import { splitLines } from '../core/text.js';
import { actualLines, compileLine, expectedLines, matchSequence } from '../match/patterns.js';

/**
 * One line of the merged output: a recorded line kept (by its index in the recorded text) or a new one; `added`
 * marks a new line that replaces no recorded line (one the run printed in addition).
 */
export type MergedLine = { kind: 'keep'; index: number } | { kind: 'new'; text: string; added?: true };

export function mergeLines(recorded: string, actual: string, same?: Equivalence, ignored?: (line: string) => boolean): MergedLine[] {
  const raw = splitLines(recorded);
  const norm = expectedLines(recorded);
  // expectedLines drops blank lines at the edges; find where the remaining ones start in the raw lines.
  const offset = Math.max(
    raw.findIndex((l) => expectedLines(l).length > 0),
    0,
  );
  const act = actualLines(actual);
  const keep = (i: number): MergedLine => ({ kind: 'keep', index: i + offset });
  const take = (j: number): Extract<MergedLine, { kind: 'new' }> => ({ kind: 'new', text: act[j]!.raw.trimEnd() });
  const ellipsis = (i: number) => compileLine(norm[i]!).ellipsis;
  const ops = alignment(norm, act, same);
  const merged: MergedLine[] = [];
  for (let k = 0; k < ops.length; ) {
    const op = ops[k]!;
    if (op.op === 'eq' || (op.op === 'del' && ellipsis(op.i))) {
      merged.push(keep(op.i));
      k++;
      continue;
    }
    if (op.op === 'span') {
      k++;
      continue;
    }
    // A run of changes: recorded lines that matched nothing, actual lines that matched nothing.
    const dels: number[] = [];
    const adds: number[] = [];
    for (let o = ops[k]; o && (o.op === 'add' || (o.op === 'del' && !ellipsis(o.i))); o = ops[++k]) {
      if (o.op === 'add') adds.push(o.j);
      else dels.push(o.i);
    }
    // Lines the kind never compares stay; each other recorded line is paired with the next new one, which then
    // changes only where it really differs.
    let a = 0;
    for (const i of dels) {
      if (ignored?.(raw[i + offset]!)) merged.push(keep(i));
      else if (a < adds.length) {
        const j = adds[a++]!;
        const refined = refineJsonLine(raw[i + offset]!, act[j]!.raw.trimEnd());
        merged.push(refined === undefined ? take(j) : { kind: 'new', text: refined });
      }
    }
    for (; a < adds.length; a++) merged.push({ ...take(adds[a]!), added: true });
  }
  const text = merged.map((m) => (m.kind === 'keep' ? raw[m.index]! : m.text)).join('\n');
  // The projection is a heuristic; when its result would not match, the plain actual output is the safe answer.
  // (Lines kept by a kind's equivalence need not match as text: the kind's own matcher ignores them.)
  if (!same && !matchSequence(expectedLines(text), act)) return act.map((a) => ({ kind: 'new', text: a.raw.trimEnd() }));
  return merged;
}

/** The merged output as text. */
export function mergeText(recorded: string, actual: string, same?: Equivalence): string {
  const raw = splitLines(recorded);
  return mergeLines(recorded, actual, same)
    .map((m) => (m.kind === 'keep' ? raw[m.index]! : m.text))
    .join('\n');
}

/**
 * The merge for one step: lines its kind ignores are kept too, and the result is checked with the kind's own
 * matcher against the actual output; if it would not pass, the actual output is written as it is.
 */
export function mergeForStep(step: Step, recorded: string, actual: string): MergedLine[] {
  const merged = mergeLines(recorded, actual, equivalenceOf(step.kind), ignoredLineOf(step.kind));
  const raw = splitLines(recorded);
  const passes = (lines: MergedLine[]) => {
    const text = lines.map((m) => (m.kind === 'keep' ? raw[m.index]! : m.text)).join('\n');
    const probe = { ...step, options: { ...step.options, expect: undefined }, expected: step.expected && { ...step.expected, text } } as Step;
    return matchStep(probe, { stdout: actual, stderr: '', exitCode: 0 }, { splits: [] }).ok;
  };
  // Lines the run printed in addition, which the kind's matcher does not ask for (a response header a newer
  // server adds), are left out: --update changes what differs, not what the recording chose not to show.
  const lean = merged.filter((m) => m.kind === 'keep' || !m.added);
  if (lean.length < merged.length && passes(lean)) return lean;
  if (passes(merged)) return merged;
  return splitLines(actual).map((l) => ({ kind: 'new', text: l.trimEnd() }));
}
