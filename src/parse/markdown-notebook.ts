/**
 * The notebook of a Markdown runbook (`runbook convert RUNBOOK.md -o RUNBOOK.ipynb`): each fenced cell that holds
 * steps becomes a code cell (console commands as `!cmd`), its recorded output a `stream` output (a capture's
 * displayed value an `execute_result`), the prose between them markdown cells, and front matter `metadata.runbook`.
 * Directives become `runbook-…` cell tags.
 */
import { parse as parseYaml } from 'yaml';
import type { Plan, Step } from '../core/model.js';
import { splitLines } from '../core/text.js';
import { findFences } from './fences.js';
import { TAG_PREFIX } from './notebook.js';
import { optionTokens } from './step-options.js';

interface CellSpan {
  /** 1-based inclusive lines the cell and its recorded output occupy in the Markdown. */
  first: number;
  last: number;
  steps: Step[];
  /** The fence's content lines, for Python cells written as they are. */
  python?: string;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const DIRECTIVE = /^\s*<!--\s*runbook:.*-->\s*$/;

export function markdownToNotebook(plan: Plan, text: string): Record<string, unknown> {
  const lines = splitLines(text);
  const spans = cellSpans(plan, lines);
  const cells: Record<string, unknown>[] = [];
  let cursor = frontMatterEnd(lines);
  const prose = (from: number, to: number) => {
    // Directives become tags of the cells they apply to.
    const kept = lines.slice(from - 1, to - 1).filter((l) => !DIRECTIVE.test(l));
    const body = kept.join('\n').replace(/^\n+|\n+$/g, '');
    if (body.trim() !== '') cells.push({ cell_type: 'markdown', metadata: {}, source: sourceLines(body) });
  };
  for (const span of spans) {
    prose(cursor, span.first);
    cells.push(codeCell(span));
    cursor = span.last + 1;
  }
  prose(cursor, lines.length + 1);
  const metadata: Record<string, unknown> = {
    kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
    language_info: { name: 'python' },
  };
  const front = frontMatterText(lines);
  if (front !== undefined) metadata.runbook = parseYaml(front) ?? {};
  // Minor version 4: cells need no `id` (4.5 requires one).
  return { cells, metadata, nbformat: 4, nbformat_minor: 4 };
}

function cellSpans(plan: Plan, lines: string[]): CellSpan[] {
  const spans: CellSpan[] = [];
  // 1-based closing lines of the fences, in order: a fenced recording ends at its fence, past any blank lines it
  // keeps before it (a GitBook export's ```json ends `}`, a blank line, then the fence).
  const closes = findFences(plan.file, lines).map((f) => f.close + 1);
  // Steps of one cell (a ```python fence, the commands of a ```sh fence sharing one recording) make one notebook
  // cell; each `$ ` prompt of a transcript has its own output, so is its own cell.
  const byCell = new Map<number | string, CellSpan>();
  for (const step of plan.steps) {
    let open = step.line - 1;
    while (open > 1 && !FENCE.test(lines[open - 1]!)) open--;
    let close = step.line;
    while (close < lines.length && !FENCE.test(lines[close - 1]!)) close++;
    const python = /^\s*(`{3,}|~{3,})\s*(python|ipython)/.test(lines[open - 1]!);
    const key = step.cell?.index ?? `step ${step.index}`;
    const known = byCell.get(key);
    const span = known ?? { first: spans.some((s) => s.first === open) ? step.line : open, last: open, steps: [] };
    if (!known) {
      spans.push(span);
      byCell.set(key, span);
    }
    span.steps.push(step);
    span.last = Math.max(span.last, close);
    if (python) span.python = lines.slice(open, close - 1).join('\n');
    const location = step.expected?.location;
    if (location?.format === 'markdown') {
      // A fenced output (```output) includes its fences; its recorded lines may end before the closing one.
      span.last = Math.max(span.last, location.style === 'fence' ? fenceEnd(closes, location.endLine) : location.endLine);
    }
  }
  return spans.sort((a, b) => a.first - b.first);
}

/**
 * The closing line of the fence holding 1-based line `line` (its opening line, for an empty fence): the first close
 * at or after it, since fences do not overlap. A binary search: a runbook may have tens of thousands of cells.
 */
function fenceEnd(closes: readonly number[], line: number): number {
  let lo = 0;
  let hi = closes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (closes[mid]! < line) lo = mid + 1;
    else hi = mid;
  }
  return closes[lo] ?? line + 1;
}

function codeCell(span: CellSpan): Record<string, unknown> {
  const source = span.python ?? span.steps.map((s) => (s.kind === 'capture' ? s.command : `!${s.command}`)).join('\n');
  const last = span.steps.at(-1)!;
  const outputs: Record<string, unknown>[] = [];
  if (last.expected && last.expected.text !== '') {
    outputs.push(
      last.kind === 'capture' && last.args.displayed
        ? { data: { 'text/plain': sourceLines(last.expected.text) }, execution_count: null, metadata: {}, output_type: 'execute_result' }
        : { name: 'stdout', output_type: 'stream', text: sourceLines(`${last.expected.text}\n`) },
    );
  }
  const tags = [...new Set(span.steps.flatMap((s) => optionTokens(s.options)))].map((t) => `${TAG_PREFIX}${t}`);
  const metadata = tags.length > 0 ? { tags } : {};
  return { cell_type: 'code', execution_count: null, metadata, outputs, source: sourceLines(source) };
}

/** nbformat stores text as a list of lines, each but the last ending in a newline. */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function frontMatterText(lines: string[]): string | undefined {
  if (lines[0]?.trim() !== '---') return undefined;
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  return end > 0 ? lines.slice(1, end).join('\n') : undefined;
}

/** 1-based line after the front matter (1 when there is none). */
function frontMatterEnd(lines: string[]): number {
  if (lines[0]?.trim() !== '---') return 1;
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  return end > 0 ? end + 2 : 1;
}
