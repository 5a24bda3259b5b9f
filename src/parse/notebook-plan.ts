/**
 * A notebook's plan: code cells go through the same cell reader as Markdown ```python fences, markdown cells
 * give the prose and headings, so a notebook and its nbconvert export give the same steps.
 */
import type { Plan, Step, StepOptions } from '../core/model.js';
import type { SourcePosition } from '../core/errors.js';
import { isDirective, misplacedDirective, parseDirective, throwProblem, type Problems } from './directives.js';
import { findFences } from './fences.js';
import { markCell } from './cells.js';
import { toStep } from './draft.js';
import { splitLines } from '../core/text.js';
import { isShellNotebook, readNotebook } from './notebook.js';
import { isBlockSeparator, lastHeading, normaliseProse } from './prose.js';
import { pythonCell, type CellSource } from './python-cell.js';
import { plainCommands } from './shell-fence.js';

export function parseNotebook(file: string, text: string, problems: Problems = throwProblem): Plan {
  const notebook = readNotebook(file, text, problems);
  // A bash kernel's cells read like a ```bash fence without prompts; Python kernels' like a ```python fence.
  // Python names bound so far, across cells, as IPython's namespace would hold them.
  const defined = new Set<string>();
  const readCell = isShellNotebook(notebook) ? (src: CellSource) => plainCommands(src).map((c) => c.draft) : (src: CellSource) => pythonCell(src, defined);
  const steps: Step[] = [];
  const cells = { next: 0 };
  let heading: string | undefined;
  let prose: string[] = [];
  // A `<!-- runbook: … -->` line ending a markdown cell applies to the next code cell, as in the Markdown export.
  let directive: { options: StepOptions; at: SourcePosition } | undefined;
  for (const cell of notebook.cells) {
    const lines = splitLines(cell.source);
    if (cell.type === 'markdown') {
      const fenced = fencedLines(file, lines);
      const kept: string[] = [];
      lines.forEach((line, i) => {
        if (!fenced.has(i) && isDirective(line)) {
          const options = parseDirective(file, line, cell.position.line, problems);
          directive = { options: { ...directive?.options, ...options }, at: directive?.at ?? cell.position };
          return;
        }
        if (directive && line.trim() !== '') {
          problems(misplacedDirective(file, directive.at.line, fenced.has(i) ? 'a fenced block' : 'text', directive.at.column));
          directive = undefined;
        }
        // As in Markdown, an empty comment separates blocks and is not prose.
        if (fenced.has(i) || !isBlockSeparator(line)) kept.push(line);
      });
      if (prose.length > 0) prose.push('');
      // A loop, not push(...kept): a spread of a million lines overflows the call stack.
      for (const line of kept) prose.push(line);
      heading = lastHeading(kept) ?? heading;
      continue;
    }
    if (cell.type !== 'code') continue;
    const options = directive ? { ...directive.options, ...cell.options } : cell.options;
    directive = undefined;
    // Every step of a cell points at the cell: JSON strings hold no line structure worth pointing into.
    const drafts = readCell({ lines, lineOf: () => cell.position.line, at: () => cell.position });
    const created = drafts.map((draft, n) => {
      const last = n === drafts.length - 1;
      return toStep(draft, {
        index: steps.length + n,
        file,
        options,
        heading,
        ...(n === 0 && { prose: normaliseProse(prose) }),
        ...(last && cell.output !== undefined && { expected: { text: cell.output, location: { format: 'ipynb', cell: cell.index } } }),
      });
    });
    for (const step of created) steps.push(step);
    markCell(created, cells);
    if (drafts.length > 0) prose = [];
  }
  if (directive) problems(misplacedDirective(file, directive.at.line, 'the end of the notebook', directive.at.column));
  return { file, format: 'ipynb', frontMatter: notebook.frontMatter, steps: notebook.frontMatter.runbook === false ? [] : steps };
}

/** Indices of lines inside fenced blocks (fence lines included); none if a fence is left open. */
function fencedLines(file: string, lines: readonly string[]): Set<number> {
  const set = new Set<number>();
  try {
    for (const f of findFences(file, lines)) for (let i = f.open; i <= f.close; i++) set.add(i);
  } catch {
    // An open fence in a markdown cell is only prose to a notebook.
  }
  return set;
}
