/**
 * `runbook convert NOTEBOOK.ipynb [-o FILE]`: the Markdown runbook of a notebook, in nbconvert's layout, with
 * `runbook-…` cell tags written as directives so the Markdown gives the notebook's plan.
 * `runbook convert RUNBOOK.md [-o FILE]`: the other way, the notebook of a Markdown runbook (to run it in Jupyter).
 */
import { InputError } from '../core/errors.js';
import { readNotebook } from '../parse/notebook.js';
import { notebookToMarkdown } from '../parse/notebook-markdown.js';
import { markdownToNotebook } from '../parse/markdown-notebook.js';
import { parseRunbook } from '../parse/index.js';
import { readRunbookFile } from '../parse/read-file.js';
import { writeFileAtomic } from '../core/write-atomic.js';

export interface ConvertOptions {
  output?: string;
}

export async function main(notebook: string, options: ConvertOptions = {}): Promise<number> {
  const text = await readRunbookFile(notebook);
  const markdown = /\.(md|markdown)$/i.test(notebook)
    ? `${JSON.stringify(markdownToNotebook(parseRunbook(notebook, text), text), null, 1)}\n`
    : notebookToMarkdown(readNotebook(notebook, text.replace(/^\uFEFF/, '')));
  if (options.output === undefined || options.output === '-') {
    process.stdout.write(markdown);
    return 0;
  }
  try {
    // Whole or not at all: a temporary file in the same folder, renamed over the target.
    await writeFileAtomic(options.output, markdown);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new InputError(`cannot write ${options.output}: ${why}`, undefined, { cause: error });
  }
  return 0;
}
