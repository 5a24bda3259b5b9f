/**
 * `runbook compare OLD NEW [--json]`: two recordings of one doc (notebooks, Markdown runbooks, or one of each),
 * cell by cell. Each changed output is judged by its kind's matcher, as `run` would judge it, and called the
 * same, volatile-only (naming the rules that forgave it) or changed (with the diff). Exit 1 when a cell changed.
 * What a docs maintainer runs before committing re-executed notebooks.
 */
import type { Step } from '../core/model.js';
import { loadRunbook } from '../parse/index.js';
import { formatDiff, judgeRerun, type RerunVerdict } from '../match/index.js';
import { decideColor } from '../ui/terminal.js';
import { createStyle, type Style } from '../ui/style.js';
import { firstLine, indent } from '../ui/text.js';
import { truncate } from '../ui/width.js';
import { cellsOf, pairCells, splitsBefore, type Cell, type Pair } from './compare-cells.js';

export interface CompareOptions {
  json?: boolean;
}

type Verdict = 'same' | 'volatile' | 'changed';

/** One cell's judgement, the JSON form `--json` prints. */
export interface CellReport {
  verdict: Verdict;
  /** How the cells paired: same source, source changed, or only on one side. */
  pairing: Pair['type'];
  kind: Step['kind'];
  command: string;
  old: { file: string; line: number } | null;
  new: { file: string; line: number } | null;
  /** Volatile-only: the rules that forgave the difference. */
  rules?: string[];
  /** Changed: the diff as `run` prints it. */
  diff?: string;
}

const where = (c: Cell | undefined) => (c ? { file: c.judge.file, line: c.steps[0]!.line } : null);

function report(pair: Pair, verdict: RerunVerdict | undefined): CellReport {
  const cell = 'new' in pair ? pair.new : pair.old;
  const base = {
    pairing: pair.type,
    kind: cell.judge.kind,
    command: cell.source,
    old: where('old' in pair ? pair.old : undefined),
    new: where('new' in pair ? pair.new : undefined),
  };
  if (!verdict) return { ...base, verdict: 'changed' };
  switch (verdict.verdict) {
    case 'same':
      return { ...base, verdict: pair.type === 'same-source' ? 'same' : 'changed' };
    case 'volatile':
      return { ...base, verdict: pair.type === 'same-source' ? 'volatile' : 'changed', rules: verdict.rules };
    case 'changed':
      return { ...base, verdict: 'changed', ...(verdict.result.diff ? { diff: formatDiff(verdict.result.diff, { color: false }) } : {}) };
  }
}

export async function main(oldPath: string, newPath: string, options: CompareOptions = {}): Promise<number> {
  const [oldPlan, newPlan] = await Promise.all([loadRunbook(oldPath), loadRunbook(newPath)]);
  const splits = await splitsBefore(oldPlan);
  const pairs = pairCells(cellsOf(oldPlan), cellsOf(newPlan));
  const cells = pairs.map((pair) => {
    if (pair.type === 'added' || pair.type === 'removed') return report(pair, undefined);
    const step = pair.old.judge;
    return report(pair, judgeRerun(step, pair.new.judge.expected?.text ?? '', { splits: splits[step.index] ?? [] }));
  });
  const count = (v: Verdict) => cells.filter((c) => c.verdict === v).length;
  const summary = { cells: cells.length, same: count('same'), volatile: count('volatile'), changed: count('changed') };
  const out = process.stdout;
  if (options.json) {
    out.write(`${JSON.stringify({ old: oldPath, new: newPath, summary, cells }, null, 2)}\n`);
  } else {
    const style = createStyle(decideColor({ isTTY: Boolean(out.isTTY), env: process.env }));
    const width = out.isTTY && out.columns ? out.columns : 100;
    const parts = [`${summary.same} same`, `${summary.volatile} volatile-only`, `${summary.changed} changed`];
    // One write: a reader that stops early (`| head`) then costs one EPIPE, not an unhandled one per cell.
    out.write(`old: ${oldPath}\nnew: ${newPath}\n${cells.map((c, k) => line(c, k, width, style)).join('')}${summary.cells} cells: ${parts.join(', ')}\n`);
  }
  return summary.changed > 0 ? 1 : 0;
}

const LABEL: Record<Verdict, string> = { same: 'same', volatile: 'volatile-only', changed: 'changed' };

/** `  3  changed        curl  new.ipynb:42  curl -v …`, then the reason and the diff, indented. */
function line(c: CellReport, k: number, width: number, style: Style): string {
  const paint = c.verdict === 'same' ? style.dim : c.verdict === 'volatile' ? style.yellow : style.red;
  // The new recording's line, which the maintainer is about to commit; the old one's for a removed cell.
  const at = c.new ? `line ${c.new.line}` : `old line ${c.old!.line}`;
  const head = `${String(k + 1).padStart(3)}  ${paint(LABEL[c.verdict].padEnd(13))}  ${c.kind.padEnd(7)}  ${at.padEnd(9)}  `;
  const command = cut(firstLine(c.command), Math.max(20, width - stripLength(head)));
  const out = [`${head}${command}`];
  if (c.rules) out.push(`       rules: ${c.rules.length > 0 ? c.rules.join(', ') : `(the ${c.kind} matcher's own tolerances)`}`);
  if (c.pairing === 'source-changed') out.push('       the cell\'s source changed');
  if (c.pairing === 'added') out.push('       only in the new recording');
  if (c.pairing === 'removed') out.push('       only in the old recording');
  if (c.diff) out.push(indent(c.diff, '       '));
  return `${out.join('\n')}\n`;
}

/** `truncate`, without measuring display widths when the text is plain ASCII (500 cells cost 0.3 s otherwise). */
function cut(text: string, width: number): string {
  if (!/^[\x20-\x7e]*$/.test(text)) return truncate(text, width);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

// eslint-disable-next-line no-control-regex -- measuring what shows, without the colour escapes.
const stripLength = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;
