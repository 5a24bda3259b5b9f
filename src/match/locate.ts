/**
 * Where a difference sits in the recorded output: the 0-based index of the recorded line that holds it, so that
 * reports can point at file:line (`MatchResult.firstDifferingLine`). Structured matchers know a path
 * (`body.outputs[0].data`, `spec.gateways[0]`); these helpers find the line of that path in the recorded text.
 */
import { splitLines } from '../core/text.js';
import type { MatchResult } from './types.js';

/** The object keys of a path as `joinPath` writes it (array indices dropped: the line of the array's key stands). */
export function pathKeys(path: string): string[] {
  const keys: string[] = [];
  for (const m of path.matchAll(/\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[3] !== undefined) keys.push(JSON.parse(m[3]) as string);
  }
  return keys;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The line of `keys` in `lines[from, to)`: each key searched from the line of the previous one, as JSON
 * (`"key":`, anywhere on a line, so one-line JSON gives its one line) or YAML (`key:` opening a line or a list item).
 * A key not found leaves the last line found; none found gives `from`.
 */
export function lineOfKeys(lines: readonly string[], keys: readonly string[], style: 'json' | 'yaml', from = 0, to = lines.length): number {
  let at = from;
  for (const key of keys) {
    const re = style === 'json' ? new RegExp(`"${escape(key)}"\\s*:`) : new RegExp(`^\\s*(?:-\\s+)*["']?${escape(key)}["']?\\s*:`);
    let k = at;
    while (k < to && !re.test(lines[k] ?? '')) k++;
    if (k < to) at = k;
  }
  return at;
}

/** An index kept within the recorded lines (a difference past the end points at the last line). */
export function clampLine(index: number, recorded: string): number {
  const count = splitLines(recorded).length;
  return Math.max(0, Math.min(index, count - 1));
}

/** `result` with its firstDifferingLine set when it failed (and the matcher has not set one). */
export function located(result: MatchResult, line: () => number): MatchResult {
  if (result.ok || result.firstDifferingLine !== undefined) return result;
  return { ...result, firstDifferingLine: line() };
}
