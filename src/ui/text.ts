/**
 * Small text helpers shared by the terminal reporters. Measuring and cutting by terminal columns is in width.ts:
 * string-width builds Unicode segmenters and regular expressions when it loads (tens of milliseconds), which the
 * plain, JSON and JUnit reporters never need.
 */

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

/** The last `count` non-empty lines of `text`. */
export function lastLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  return lines.slice(-count);
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
