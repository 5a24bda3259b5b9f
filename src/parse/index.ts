/**
 * The parser's entry points: a runbook file (Markdown or .ipynb) becomes a Plan of typed steps.
 */
import type { Plan } from '../core/model.js';
import { checkLineCount, checkRunbookText, decodeRunbook, MAX_RUNBOOK_LINES, readRunbookFile } from './read-file.js';
import { parseMarkdown } from './markdown.js';
import { parseNotebook } from './notebook-plan.js';
import type { Problems } from './directives.js';

export { parseDuration } from '../core/duration.js';
export { splitLines } from '../core/text.js';

/**
 * Parses runbook text; `.ipynb` files, and JSON text that looks like a notebook, are read as notebooks. Problems
 * the parse can step over (directives) go to `problems` when given, so `check` reports them all; else the first
 * is thrown, as is every other problem.
 */
export function parseRunbook(file: string, text: string | Buffer, problems?: Problems): Plan {
  const source = typeof text === 'string' ? text : decodeRunbook(file, text);
  if (typeof text === 'string') checkRunbookText(file, source);
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  checkLineCount(body, () => ({ file, line: MAX_RUNBOOK_LINES + 1, column: 1 }));
  return isNotebook(file, body) ? parseNotebook(file, body, problems) : parseMarkdown(file, body, problems);
}

/** Reads and parses a runbook; every problem with the file or its content is an InputError. */
export async function loadRunbook(path: string): Promise<Plan> {
  return parseRunbook(path, await readRunbookFile(path));
}

function isNotebook(file: string, text: string): boolean {
  if (/\.ipynb$/i.test(file)) return true;
  if (/\.(md|markdown)$/i.test(file)) return false;
  return /^\s*\{/.test(text) && text.includes('"nbformat"');
}
