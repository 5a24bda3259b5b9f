/**
 * A notebook's plan: code cells go through the same cell reader as Markdown ```python fences, markdown cells
 * give the prose and headings, so a notebook and its nbconvert export give the same steps.
 */
import type { Plan, Step } from '../model.js';
import { toStep } from './draft.js';
import { splitLines } from './lines.js';
import { isShellNotebook, readNotebook } from './notebook.js';
import { lastHeading, normaliseProse } from './prose.js';
import { pythonCell, type CellSource } from './python-cell.js';
import { plainCommands } from './shell-fence.js';

export function parseNotebook(file: string, text: string): Plan {
  const notebook = readNotebook(file, text);
  // A bash kernel's cells read like a ```bash fence without prompts; Python kernels' like a ```python fence.
  const readCell = isShellNotebook(notebook) ? (src: CellSource) => plainCommands(src).map((c) => c.draft) : pythonCell;
  const steps: Step[] = [];
  let heading: string | undefined;
  let prose: string[] = [];
  for (const cell of notebook.cells) {
    const lines = splitLines(cell.source);
    if (cell.type === 'markdown') {
      if (prose.length > 0) prose.push('');
      prose.push(...lines);
      heading = lastHeading(lines) ?? heading;
      continue;
    }
    if (cell.type !== 'code') continue;
    // Every step of a cell points at the cell: JSON strings hold no line structure worth pointing into.
    const drafts = readCell({ lines, lineOf: () => cell.position.line, at: () => cell.position });
    drafts.forEach((draft, n) => {
      const last = n === drafts.length - 1;
      steps.push(
        toStep(draft, {
          index: steps.length,
          file,
          options: cell.options,
          heading,
          ...(n === 0 && { prose: normaliseProse(prose) }),
          ...(last && cell.output !== undefined && { expected: { text: cell.output, location: { format: 'ipynb', cell: cell.index } } }),
        }),
      );
    });
    if (drafts.length > 0) prose = [];
  }
  return { file, format: 'ipynb', frontMatter: notebook.frontMatter, steps };
}
