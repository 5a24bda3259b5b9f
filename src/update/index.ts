/**
 * `runbook run --update`: rewrites the recorded outputs of the steps that ran and differed, in place.
 * Loaded only when --update is given.
 */
import { updateMarkdown, type Update } from './markdown.js';
import { updateNotebook } from './ipynb.js';

export type { Update } from './markdown.js';
export { writeFileAtomic } from '../core/write-atomic.js';
export { mergeLines, mergeText, type MergedLine } from './merge.js';
export { updateMarkdown, fileStyle } from './markdown.js';
export { updateNotebook } from './ipynb.js';

/**
 * The runbook's new content after writing each update's actual output (in recorded form) over its step's
 * recorded output. Everything outside the rewritten blocks is kept byte for byte; with nothing to change,
 * the result equals the input.
 */
export function applyUpdates(file: string, original: string | Uint8Array, updates: readonly Update[]): string {
  const text = typeof original === 'string' ? original : new TextDecoder('utf-8', { ignoreBOM: true }).decode(original);
  const notebook = /\.ipynb$/i.test(file) || updates.some((u) => u.step.expected?.location.format === 'ipynb');
  // A byte order mark is not part of the text the parser saw; keep it where it was.
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? text.slice(1) : text;
  return bom + (notebook ? updateNotebook(body, updates) : updateMarkdown(body, updates));
}
