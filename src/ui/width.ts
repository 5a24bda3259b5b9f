/** Text measured and cut by terminal columns (emoji sequences, CJK and combining marks as terminals draw them). */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { stripAnsi } from './text.js';

/** Columns `text` takes on a terminal, ignoring ANSI escapes (emoji sequences, CJK and combining marks as terminals draw them). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Cut `text` (which may hold ANSI styles) to `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  // cli-truncate can end one column over when a wide character straddles the cut: ask for less until it fits.
  for (let w = width; w > 0; w--) {
    const cut = cliTruncate(text, w);
    if (stringWidth(cut) <= width) return cut;
  }
  return '';
}

/**
 * Word-wraps `text` (which may hold ANSI styles) to `width` columns; existing line breaks are kept, words longer
 * than a line are cut. Continuation lines start with `hangingIndent`.
 */
export function wrap(text: string, width: number, hangingIndent = ''): string {
  const limit = Math.max(10, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    const flush = () => {
      out.push(line);
      line = hangingIndent;
      used = displayWidth(hangingIndent);
    };
    for (const word of paragraph.split(/ +/)) {
      if (word === '') continue;
      let w = displayWidth(word);
      if (used > displayWidth(hangingIndent) && used + 1 + w > limit) flush();
      let rest = word;
      // A word wider than the line (a URL, a hash) is cut at the edge rather than overflowing it.
      while (w > limit - used && stripAnsi(rest) === rest && rest.length > 1) {
        const room = Math.max(1, limit - used - (used > displayWidth(hangingIndent) ? 1 : 0));
        line += (used > displayWidth(hangingIndent) ? ' ' : '') + rest.slice(0, room);
        rest = rest.slice(room);
        w = displayWidth(rest);
        flush();
      }
      line += (used > displayWidth(hangingIndent) ? ' ' : '') + rest;
      used += (used > displayWidth(hangingIndent) ? 1 : 0) + w;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** One terminal row as `fitRow` lays it out: the parts as shown, and the spaces that right-align `right`. */
export interface FittedRow {
  left: string;
  middle: string;
  gap: string;
  right: string;
}

/**
 * Lays out one row of at most `columns` columns: `left` is kept (cut only when it alone is too wide), `middle` is
 * cut to fit, and `right` is the first of `rights` (richest first) that leaves `middle` at least `minMiddle`
 * columns, right-aligned; none of them when none does. A row wider than the terminal would wrap, and a live
 * area whose rows wrap cannot be erased and redrawn in place.
 */
export function fitRow(left: string, middle: string, rights: readonly string[], columns: number, minMiddle = 8): FittedRow {
  const leftWidth = displayWidth(left);
  if (leftWidth >= columns) return { left: truncate(left, columns), middle: '', gap: '', right: '' };
  for (const right of [...rights.filter((r) => r !== ''), '']) {
    const rightWidth = displayWidth(right);
    const room = columns - leftWidth - (right ? rightWidth + 1 : 0);
    if (right && room < Math.min(minMiddle, displayWidth(middle))) continue;
    const shown = truncate(middle, Math.max(0, room));
    const gap = right ? ' '.repeat(columns - leftWidth - displayWidth(shown) - rightWidth) : '';
    return { left, middle: shown, gap, right };
  }
  return { left, middle: truncate(middle, columns - leftWidth), gap: '', right: '' };
}
