/**
 * `runbook convert NOTEBOOK.ipynb [-o FILE]`: the Markdown runbook of a notebook, in nbconvert's layout, with
 * `runbook-…` cell tags written as directives so the Markdown gives the notebook's plan.
 * `runbook convert RUNBOOK.md [-o FILE]`: the other way, the notebook of a Markdown runbook (to run it in Jupyter).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
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

const MARKDOWN = /\.(md|markdown)$/i;
const NOTEBOOK = /\.ipynb$/i;

export async function main(notebook: string, options: ConvertOptions = {}): Promise<number> {
  const toNotebook = MARKDOWN.test(notebook);
  if (!toNotebook && !NOTEBOOK.test(notebook)) {
    throw new InputError(`${notebook}: cannot tell which way to convert; expected a Markdown runbook (.md) or a notebook (.ipynb)`);
  }
  const output = options.output === '-' ? undefined : options.output;
  if (output !== undefined) await checkOutput(notebook, output, toNotebook);
  const text = await readRunbookFile(notebook);
  const markdown = toNotebook
    ? `${JSON.stringify(markdownToNotebook(parseRunbook(notebook, text), text), null, 1)}\n`
    : notebookToMarkdown(readNotebook(notebook, text.replace(/^\uFEFF/, '')));
  if (output === undefined) {
    process.stdout.write(markdown);
    return 0;
  }
  try {
    // Whole or not at all: a temporary file in the same folder, renamed over the target.
    await writeFileAtomic(output, markdown);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new InputError(`cannot write ${output}: ${why}`, undefined, { cause: error });
  }
  return 0;
}

/**
 * `-o` must be the other format (a .md converts to an .ipynb and back) and must not be the input itself, under any
 * name (./x.md, a symlink, a hard link): converting in place would replace the runbook with its conversion.
 */
async function checkOutput(input: string, output: string, toNotebook: boolean): Promise<void> {
  const [a, b] = await Promise.all([stat(input).catch(() => undefined), stat(output).catch(() => undefined)]);
  const same = a && b ? a.dev === b.dev && a.ino === b.ino : path.resolve(input) === path.resolve(output);
  if (same) throw new InputError(`-o ${output}: is the input file ${input}; converting in place would overwrite the runbook; name another file`);
  const wrongExtension = toNotebook ? !NOTEBOOK.test(output) : !MARKDOWN.test(output);
  if (wrongExtension) {
    const expected = toNotebook ? 'a notebook path ending in .ipynb' : 'a Markdown path ending in .md';
    throw new InputError(`-o ${output}: ${input} converts to ${toNotebook ? 'a notebook' : 'Markdown'}; expected ${expected}`);
  }
}
