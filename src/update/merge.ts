/**
 * The line-level merge behind `--update`: the new recorded output is the actual output, except that every
 * recorded line which still matches its counterpart (an author pattern such as `[..]`, `...`, `(re)`, or a value
 * that only differs by what normalisation ignores) is kept as the author wrote it.
 */
import { project } from '../match/align.js';
import { actualLines, expectedLines, matchSequence, splitLines } from '../match/patterns.js';

/** One line of the merged output: a recorded line kept (by its index in the recorded text) or a new one. */
export type MergedLine = { kind: 'keep'; index: number } | { kind: 'new'; text: string };

export function mergeLines(recorded: string, actual: string): MergedLine[] {
  const raw = splitLines(recorded);
  const norm = expectedLines(recorded);
  // expectedLines drops blank lines at the edges; find where the remaining ones start in the raw lines.
  const offset = Math.max(
    raw.findIndex((l) => expectedLines(l).length > 0),
    0,
  );
  const act = actualLines(actual);
  const merged = project<MergedLine>(
    norm,
    act,
    (i) => ({ kind: 'keep', index: i + offset }),
    (j) => ({ kind: 'new', text: act[j]!.raw.trimEnd() }),
  );
  const text = merged.map((m) => (m.kind === 'keep' ? raw[m.index]! : m.text)).join('\n');
  // The projection is a heuristic; when its result would not match, the plain actual output is the safe answer.
  if (!matchSequence(expectedLines(text), act)) return act.map((a) => ({ kind: 'new', text: a.raw.trimEnd() }));
  return merged;
}

/** The merged output as text. */
export function mergeText(recorded: string, actual: string): string {
  const raw = splitLines(recorded);
  return mergeLines(recorded, actual)
    .map((m) => (m.kind === 'keep' ? raw[m.index]! : m.text))
    .join('\n');
}
