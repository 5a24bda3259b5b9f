/**
 * The Markdown runbook of a notebook, laid out as nbconvert's Markdown export does (```python fences,
 * 4-space-indented outputs, markdown cells verbatim), plus `<!-- runbook: … -->` directives for tagged cells
 * and front matter for `metadata.runbook` (plus `runbook: true` for a bash kernel), so parsing the result gives the
 * notebook's plan.
 */
import { stringify } from 'yaml';
import { isShellNotebook, type Notebook } from './notebook.js';
import { optionTokens } from './step-options.js';
import { isExportedOutput } from './fences.js';

export function notebookToMarkdown(notebook: Notebook): string {
  const parts: string[] = [];
  // nbconvert names the fence after the kernel's language; anything but a shell kernel is read as Python.
  const lang = isShellNotebook(notebook) ? notebook.language : 'python';
  // A bash kernel's cells read as prompt-less ```bash fences, which are steps only in a file that opts in.
  // A cell with an output or a directive is a step without it.
  const optIn = isShellNotebook(notebook) && notebook.cells.some((c) => c.type === 'code' && c.output === undefined && optionTokens(c.options).length === 0);
  const settings = optIn ? { ...(notebook.settings as object | undefined), runbook: true } : notebook.settings;
  if (settings !== undefined) parts.push(`---\n${stringify(settings).trimEnd()}\n---`);
  // Whether the last part is a code cell without output, which a fence right after it would be read as.
  let unrecorded = false;
  for (const cell of notebook.cells) {
    if (cell.type === 'markdown') {
      const text = cell.source.replace(/\r\n/g, '\n').trimEnd();
      if (text.trim() === '') continue;
      const first = /^\s*(?:`{3,}|~{3,})[ \t]*([^\s`]*)/.exec(text)?.[1]?.toLowerCase();
      const taken = lang === 'python' ? first === 'output' : first !== undefined && isExportedOutput(first);
      // An empty comment keeps a markdown cell's ```yaml (or ```output) the document it shows.
      if (unrecorded && taken) parts.push('<!-- -->');
      parts.push(text);
      unrecorded = false;
      continue;
    }
    if (cell.type !== 'code') continue;
    const source = cell.source.replace(/\r\n/g, '\n').replace(/\n$/, '');
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(source) + 1));
    const tokens = optionTokens(cell.options);
    let block = tokens.length > 0 ? `<!-- runbook: ${tokens.join(' ')} -->\n` : '';
    block += `${fence}${lang}\n${source}\n${fence}`;
    if (cell.output !== undefined) {
      block += '\n\n' + cell.output.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
    }
    parts.push(block);
    unrecorded = cell.output === undefined;
  }
  // A first line `---` would read as the start of front matter; a blank line before it keeps it prose.
  if (settings === undefined && /^---[ \t]*(\n|$)/.test(parts[0] ?? '')) parts[0] = '\n' + parts[0];
  return parts.join('\n\n\n') + '\n';
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}
