/**
 * Jupyter notebooks (nbformat 4), checked and reduced to what a runbook needs: cell sources, tags turned into
 * step options, and the recorded output text. Used by the parser and by `runbook convert`.
 */
import type { FrontMatter, StepOptions } from '../core/model.js';
import { excerpt, InputError, positionAt, type SourcePosition } from '../core/errors.js';
import { frontMatterFrom } from './front-matter.js';
import { isObject } from '../core/json.js';
import { JsonTextError, readNotebookJson, type NotebookJson } from './notebook-json.js';
import { splitLines } from '../core/text.js';
import { trimBlankLines } from './lines.js';
import { applyOption, OptionError } from './step-options.js';
import { throwProblem, type Problems } from './directives.js';
import { checkLineCount } from './read-file.js';

export interface NotebookCell {
  type: 'markdown' | 'code' | 'raw';
  /** 0-based index in `cells`. */
  index: number;
  source: string;
  tags: string[];
  /** From the `runbook-…` tags. */
  options: StepOptions;
  /** stdout streams and text/plain results, joined, blank lines at either end dropped; undefined if none. */
  output?: string;
  position: SourcePosition;
}

export interface Notebook {
  file: string;
  cells: NotebookCell[];
  frontMatter: FrontMatter;
  /** `metadata.runbook` as written, for writing it back as front matter. */
  settings?: unknown;
  /** The kernel's language (`python` unless the notebook says otherwise): a bash kernel's cells are shell. */
  language: string;
}

export const TAG_PREFIX = 'runbook-';

/** Output types nbconvert's Markdown export prefers to text/plain. */
const RICHER_THAN_TEXT = ['text/html', 'text/markdown', 'image/svg+xml', 'text/latex', 'image/png', 'image/jpeg'];

/**
 * Parses and checks notebook JSON; every defect is an InputError at the line of the offending part. A bad
 * `runbook-…` cell tag goes to `problems` (the cell keeps its other tags), so `check` reports them all.
 */
export function readNotebook(file: string, text: string, problems: Problems = throwProblem): Notebook {
  let parsed: NotebookJson;
  try {
    parsed = readNotebookJson(text);
  } catch (error) {
    if (error instanceof JsonTextError) throw new InputError(`not a notebook: ${error.message}`, positionAt(file, text, error.offset));
    throw error;
  }
  const json = parsed.value;
  const at = locator(file, text);
  if (!isObject(json)) throw new InputError('not a notebook: expected a JSON object with nbformat and cells', at(text.search(/\S/)));
  if (json.nbformat !== 4) {
    const found = json.nbformat === undefined ? 'no nbformat' : `nbformat ${excerpt(JSON.stringify(json.nbformat) ?? '')}`;
    throw new InputError(`not an nbformat 4 notebook (${found}); convert it with: jupyter nbconvert --to notebook`, at(parsed.keys.get('nbformat')));
  }
  if (!Array.isArray(json.cells)) throw new InputError('not a notebook: "cells" must be a list', at(parsed.keys.get('cells')));
  const cells = json.cells.map((raw, index) => readCell(raw, index, at(parsed.cells[index]), problems));
  // JSON strings hold their lines as \n escapes: the file's line count says nothing about them.
  let lines = 0;
  for (const cell of cells) {
    lines = checkLineCount(cell.source, () => cell.position, 'lines of cell sources and outputs', lines);
    if (cell.output !== undefined) lines = checkLineCount(cell.output, () => cell.position, 'lines of cell sources and outputs', lines);
  }
  let settings: unknown;
  let frontMatter: FrontMatter = {};
  if (isObject(json.metadata) && json.metadata.runbook !== undefined) {
    settings = json.metadata.runbook;
    const where = at(parsed.keys.get('metadata'));
    frontMatter = frontMatterFrom(settings, () => where);
  }
  return { file, cells, frontMatter, language: kernelLanguage(json.metadata), ...(settings !== undefined && { settings }) };
}

const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'zsh']);

/** True for a bash (or other shell) kernel, whose cells are shell commands rather than Python. */
export function isShellNotebook(notebook: Notebook): boolean {
  return SHELL_LANGUAGES.has(notebook.language);
}

function kernelLanguage(metadata: unknown): string {
  if (!isObject(metadata)) return 'python';
  const info = isObject(metadata.language_info) ? metadata.language_info.name : undefined;
  const spec = isObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const name = typeof info === 'string' ? info : typeof spec === 'string' ? spec : 'python';
  // The language becomes a fence's info string; keep it to one plain word.
  return /^[\w+-]+$/.test(name) ? name.toLowerCase() : 'python';
}

function readCell(raw: unknown, index: number, position: SourcePosition, problems: Problems): NotebookCell {
  const fail = (what: string) => new InputError(`cell ${index}: ${what}`, position);
  if (!isObject(raw)) throw fail('expected an object');
  const type = raw.cell_type;
  if (type !== 'markdown' && type !== 'code' && type !== 'raw') throw fail(`cell_type must be "markdown", "code" or "raw", not ${excerpt(JSON.stringify(type) ?? 'nothing')}`);
  const source = multiline(raw.source, () => fail('source must be a string or a list of strings'));
  const metadata = raw.metadata === undefined ? {} : raw.metadata;
  if (!isObject(metadata)) throw fail('metadata must be an object');
  const tags = metadata.tags === undefined ? [] : metadata.tags;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw fail('metadata.tags must be a list of strings');
  const options: StepOptions = {};
  for (const tag of tags) {
    if (!tag.startsWith(TAG_PREFIX)) continue;
    try {
      applyOption(options, tag.slice(TAG_PREFIX.length));
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      problems(fail(`tag '${excerpt(tag)}': ${error.message}`));
    }
  }
  const cell: NotebookCell = { type, index, source, tags: tags, options, position };
  if (type === 'code') {
    const output = outputText(raw.outputs ?? [], fail, position);
    if (output !== undefined) cell.output = output;
  }
  return cell;
}

function outputText(outputs: unknown, fail: (what: string) => InputError, position: SourcePosition): string | undefined {
  if (!Array.isArray(outputs)) throw fail('outputs must be a list');
  let text = '';
  outputs.forEach((o, n) => {
    if (!isObject(o) || typeof o.output_type !== 'string') throw fail(`outputs[${n}] must be an object with an output_type`);
    let piece: string | undefined;
    if (o.output_type === 'stream') {
      if (o.name === 'stdout') piece = multiline(o.text, () => fail(`outputs[${n}].text must be a string or a list of strings`));
    } else if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
      if (!isObject(o.data)) throw fail(`outputs[${n}].data must be an object`);
      // nbconvert's Markdown export shows richer data (HTML tables, images) instead of text/plain; so do we, by
      // leaving such outputs out of the recording.
      const data = o.data;
      if (RICHER_THAN_TEXT.some((type) => type in data)) return;
      const plain = data['text/plain'];
      if (plain !== undefined) piece = multiline(plain, () => fail(`outputs[${n}].data["text/plain"] must be a string or a list of strings`));
    }
    if (piece === undefined) return;
    // Each output starts on a new line, as Jupyter shows them.
    if (text !== '' && !text.endsWith('\n')) text += '\n';
    text += piece;
  });
  checkLineCount(text, () => position, 'lines of output');
  return normaliseOutput(text);
}

/**
 * Recorded output as Markdown can hold it: CRLF as LF, whitespace-only lines empty, no blank lines at either
 * end; undefined when nothing is left.
 */
export function normaliseOutput(text: string): string | undefined {
  const lines = trimBlankLines(splitLines(text).map((l) => (l.trim() === '' ? '' : l)));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function multiline(value: unknown, fail: () => InputError): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  throw fail();
}

/**
 * `positionAt` for many offsets into one text (a position per cell): the line starts are found once, then each
 * offset is a binary search, where positionAt would rescan the text from the start for every cell.
 */
function locator(file: string, text: string): (offset: number | undefined) => SourcePosition {
  let starts: number[] | undefined;
  return (offset = 0) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}
