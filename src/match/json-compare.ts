/**
 * Structural comparison of JSON-like values (curl and grpcurl bodies, kustomize objects): each difference is
 * reported with its JSON path. String leaves are compared after normalisation and may hold author patterns, so
 * UUID-shaped ids and timestamps never count as differences.
 */
import { isObject } from '../core/json.js';
import type { PathEntry } from './types.js';
import { actualLines, expectedLines, hasPattern, matchSequence } from './patterns.js';
import { ruleOn } from './rules.js';

/** Keys whose integer value Seldon increments each time the object is loaded again (rule VERSION). */
export const VERSION_KEYS = new Set(['version', 'pipelineVersion']);

const isCounter = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v));

export interface JsonCompareOptions {
  /** Keys whose string values may differ when this accepts the pair (the model that answered a split route). */
  accepts?: (key: string, expected: string, actual: string) => boolean;
  /** `expect=contains`: the actual value may hold more keys and array elements than the recorded one. */
  subset?: boolean;
}

const MISSING = '(missing)';

/** Display form of a value in a diff: compact JSON, cut short when long. */
export function display(value: unknown): string {
  if (value === undefined) return MISSING;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** True when a recorded string accepts an actual string (normalised, patterns honoured, line by line). */
export function stringMatches(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  if (!matchSequence(expectedLines(expected), actualLines(actual))) return false;
  // Layout rules (CRs, trailing spaces, blank lines at the edges) are for a terminal's text, not for a value:
  // `"a "` is not `"a"`. Unless the recorded value uses a pattern, its whitespace must be the same.
  return hasPattern(expected) || skeleton(expected) === skeleton(actual);
}

/** The whitespace around each line, and the line count: what the layout rules forgive. */
function skeleton(text: string): string {
  return text
    .split('\n')
    .map((line) => `${line.slice(0, line.length - line.trimStart().length)}|${line.slice(line.trimEnd().length)}`)
    .join('\n');
}

/** Appends the differences between `expected` and `actual` under `path` to `out`. */
export function compareJson(
  expected: unknown,
  actual: unknown,
  path: string,
  out: PathEntry[],
  options: JsonCompareOptions = {},
  key = '',
  /** False for an array's elements: they are under `key`, but are not its value (a version counter is a scalar). */
  direct = true,
): void {
  if (direct && VERSION_KEYS.has(key) && isCounter(expected) && isCounter(actual) && typeof expected === typeof actual && ruleOn('VERSION')) return;
  if (typeof expected === 'string') {
    if (typeof actual === 'string') {
      if (stringMatches(expected, actual) || options.accepts?.(key, expected, actual)) return;
    } else if (actual !== undefined && hasPattern(expected) && stringMatches(expected, JSON.stringify(actual))) {
      // `"[NUMBER]"` recorded where a number came back: a placeholder stands for any JSON scalar of its shape.
      return;
    }
    out.push({ path, expected: display(expected), actual: display(actual) });
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push({ path, expected: display(expected), actual: display(actual) });
      return;
    }
    const n = Math.max(expected.length, options.subset ? 0 : actual.length);
    for (let i = 0; i < n; i++) {
      const p = joinPath(path, i);
      if (i >= expected.length) out.push({ path: p, expected: MISSING, actual: display(actual[i]) });
      else if (i >= actual.length) out.push({ path: p, expected: display(expected[i]), actual: MISSING });
      else compareJson(expected[i], actual[i], p, out, options, key, false);
    }
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) {
      out.push({ path, expected: display(expected), actual: display(actual) });
      return;
    }
    for (const [k, v] of Object.entries(expected)) {
      const p = joinPath(path, k);
      if (!Object.hasOwn(actual, k)) out.push({ path: p, expected: display(v), actual: MISSING });
      else compareJson(v, actual[k], p, out, options, k);
    }
    if (!options.subset) {
      for (const [k, v] of Object.entries(actual)) {
        if (!Object.hasOwn(expected, k)) out.push({ path: joinPath(path, k), expected: MISSING, actual: display(v) });
      }
    }
    return;
  }
  if (!Object.is(expected, actual) && !(expected === 0 && actual === 0)) {
    out.push({ path, expected: display(expected), actual: display(actual) });
  }
}

/**
 * Parses a text holding one or more JSON values one after another (grpcurl prints one per message);
 * undefined when anything else is in it.
 */
export function parseJsonStream(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    const open = text[i];
    if (open !== '{' && open !== '[') {
      // A lone scalar is JSON only when it is the whole text.
      if (values.length > 0) return undefined;
      try {
        return [JSON.parse(text)];
      } catch {
        return undefined;
      }
    }
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (depth !== 0) return undefined;
    try {
      values.push(JSON.parse(text.slice(start, ++i)));
    } catch {
      return undefined;
    }
  }
  return values.length > 0 ? values : undefined;
}
