/**
 * The cells of two recordings of one doc, paired by position and source for `runbook compare`, and what the old
 * recording had applied before each cell (its traffic splits), so a split's other model is no change.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { diffArrays } from 'diff';
import { parseAllDocuments } from 'yaml';
import type { Plan, Step } from '../core/model.js';
import { splitsFromManifests, type SplitInfo } from '../match/index.js';

/** One cell: its steps (a cell with several commands runs each as a step) and the step holding its recording. */
export interface Cell {
  steps: Step[];
  /** The step whose `expected` is the cell's recording (the last one), and whose kind judges it. */
  judge: Step;
  source: string;
}

export type Pair =
  | { type: 'same-source' | 'source-changed'; old: Cell; new: Cell }
  | { type: 'removed'; old: Cell }
  | { type: 'added'; new: Cell };

/** The plan's cells in order; a step without a cell (a plan built by hand) is a cell of its own. */
export function cellsOf(plan: Plan): Cell[] {
  const groups = new Map<string, Step[]>();
  for (const s of plan.steps) {
    const key = s.cell ? `c${s.cell.index}` : `s${s.index}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.values()].map((steps) => ({
    steps,
    judge: steps.findLast((s) => s.expected !== undefined) ?? steps[steps.length - 1]!,
    source: steps.map((s) => s.command.replace(/[ \t]+$/gm, '').trim()).join('\n'),
  }));
}

/**
 * Pairs the cells: the longest common run of equal sources anchors the pairing; between anchors, cells left on
 * both sides pair by position (their source changed), and the rest were removed or added.
 */
export function pairCells(old: readonly Cell[], next: readonly Cell[]): Pair[] {
  const parts = diffArrays([...old], [...next], { comparator: (a: Cell, b: Cell) => a.source === b.source });
  const out: Pair[] = [];
  let removed: Cell[] = [];
  let added: Cell[] = [];
  const flush = () => {
    const n = Math.min(removed.length, added.length);
    for (let k = 0; k < n; k++) out.push({ type: 'source-changed', old: removed[k]!, new: added[k]! });
    for (const c of removed.slice(n)) out.push({ type: 'removed', old: c });
    for (const c of added.slice(n)) out.push({ type: 'added', new: c });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  for (const part of parts) {
    const count = part.value.length;
    if (part.removed) removed.push(...old.slice(i, (i += count)));
    else if (part.added) added.push(...next.slice(j, (j += count)));
    else {
      flush();
      for (let k = 0; k < count; k++) out.push({ type: 'same-source', old: old[i++]!, new: next[j++]! });
    }
  }
  flush();
  return out;
}

const yamlObjects = (text: string): unknown[] => {
  try {
    return parseAllDocuments(text).map((d) => d.toJS() as unknown);
  } catch {
    return [];
  }
};

/**
 * The traffic splits in force before each step of the old recording: manifests its apply steps applied, read from
 * a recorded build of the same folder, a heredoc, or files next to the runbook (missing ones are skipped).
 */
export async function splitsBefore(plan: Plan): Promise<SplitInfo[][]> {
  const dir = path.dirname(plan.file);
  const builds = new Map<string, unknown[]>();
  const applied: unknown[] = [];
  const out: SplitInfo[][] = [];
  let current: SplitInfo[] = [];
  for (const s of plan.steps) {
    out.push(current);
    if (s.kind === 'build' && s.expected) builds.set(s.args.dir, yamlObjects(s.expected.text));
    if (s.kind !== 'apply') continue;
    const source = s.args.source;
    if (source.type === 'build') applied.push(...(builds.get(source.dir) ?? []));
    else if (source.type === 'stdin') applied.push(...yamlObjects(source.text));
    else if (source.type === 'files') {
      for (const f of source.paths) {
        const text = await readFile(path.resolve(dir, f), 'utf8').catch(() => '');
        applied.push(...yamlObjects(text));
      }
    }
    current = splitsFromManifests(applied);
  }
  return out;
}
