/** Small text helpers shared by the terminal reporters. */

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

/** Display width of one code point: 2 for wide East Asian and emoji, 0 for combining marks, else 1. */
function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Columns `text` takes on a terminal, ignoring ANSI escapes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of stripAnsi(text)) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}

/** Cut plain (unstyled) `text` to `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? '…' : '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = codePointWidth(ch.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
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
