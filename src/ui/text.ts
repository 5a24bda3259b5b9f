/** Small text helpers shared by the terminal reporters. */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The first line of a command (multi-line commands show `…` after it). */
export function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i === -1 ? text : `${text.slice(0, i).replace(/\s*\\$/, '')} …`;
}

/** Every line of `text` prefixed with `prefix` (empty lines stay empty, so no trailing spaces). */
export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? prefix + line : line))
    .join('\n');
}

/** `840ms`, `1.2s`, `12s`, `2m05s`: short enough for a status line, precise where it matters. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 9_950) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}

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

/** The last `count` non-empty lines of `text`. */
export function lastLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  return lines.slice(-count);
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

// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// ESC is not here: ESCAPES has already removed every escape that was not kept.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

/**
 * A command's output made safe to print on a terminal that runbook owns: a carriage return shows only what it
 * left on screen (progress meters), escape sequences that move the cursor or retitle the window are dropped,
 * colour (SGR) is kept only when `keepColor`, and other control characters are removed.
 */
export function sanitize(text: string, keepColor: boolean): string {
  return text
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      const segments = line.split('\r');
      let shown = segments.pop() ?? '';
      while (shown === '' && segments.length > 0) shown = segments.pop() ?? '';
      return shown
        .replace(ESCAPES, (seq, _params: string | undefined, final: string | undefined) => (keepColor && final === 'm' ? seq : ''))
        .replace(CONTROLS, '');
    })
    .join('\n');
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
