/**
 * The layout a JSON file was written in, and JSON written in it: what `--update` needs so that the outputs it
 * writes into a notebook look like the rest of the file (nbformat's one-space indent, two spaces, tabs, CRLF, one
 * line, `\u` escapes for non-ASCII as Python's default json.dumps writes them).
 */
import type { Json } from '../core/json.js';
import { topLevelMembers } from '../core/json-spans.js';

export interface Layout {
  /** One level of indentation; undefined when the file is written on one line. */
  unit: string | undefined;
  eol: string;
  /** Between a key and its value (`": "` in nbformat, `":"` in minified JSON), after the key's quote. */
  colon: string;
  /** Between the members of a one-line object or array (`", "` in Python's one-line json.dumps, `","` minified). */
  comma: string;
  /** Non-ASCII characters written as \u escapes. */
  ascii: boolean;
}

/** nbformat's own layout, for a file too small to tell. */
const NBFORMAT: Layout = { unit: ' ', eol: '\n', colon: ': ', comma: ', ', ascii: false };

/** Reads the layout from the top-level object: its first key's line, the text around its first two values. */
export function layoutOf(text: string): Layout {
  const members = [...topLevelMembers(text).values()];
  const [first, second] = members;
  if (!first) return NBFORMAT;
  const colon = text.slice(text.lastIndexOf('"', first.value.offset - 1) + 1, first.value.offset);
  const comma = second ? text.slice(first.value.end, second.key) : colon.endsWith(' ') ? ', ' : ',';
  const open = text.lastIndexOf('{', first.key);
  const before = text.slice(open + 1, first.key);
  const newline = before.lastIndexOf('\n');
  return {
    unit: newline === -1 ? undefined : before.slice(newline + 1),
    eol: /\r?\n/.exec(text)?.[0] ?? '\n',
    colon,
    comma: comma.includes('\n') ? NBFORMAT.comma : comma,
    // Escaped non-ASCII and none written as is: Python's json.dumps with its default ensure_ascii.
    ascii: /\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])/.test(text) && !/[\u0080-\uffff]/.test(text),
  };
}

/**
 * A value as JSON in `layout`, starting on a line indented by `indent`: keys sorted and each member on its own
 * line, as nbformat writes (Python's json.dumps with sort_keys and indent).
 */
export function writeJson(value: Json, indent: string, layout: Layout): string {
  if (value === null || typeof value !== 'object') return scalar(value, layout);
  const array = Array.isArray(value);
  const items = array ? value.map((v) => ['', v] as const) : Object.keys(value).sort().map((k) => [k, value[k] ?? null] as const);
  if (items.length === 0) return array ? '[]' : '{}';
  const inner = layout.unit === undefined ? '' : indent + layout.unit;
  const written = items.map(([key, v]) => (array ? '' : scalar(key, layout) + layout.colon) + writeJson(v, inner, layout));
  const [open, close] = array ? ['[', ']'] : ['{', '}'];
  if (layout.unit === undefined) return open + written.join(layout.comma) + close;
  return `${open}${layout.eol}${written.map((w) => inner + w).join(`,${layout.eol}`)}${layout.eol}${indent}${close}`;
}

function scalar(value: string | number | boolean | null, layout: Layout): string {
  const json = JSON.stringify(value);
  // Python escapes as \uXXXX in lower case, a character outside the BMP as its two surrogates.
  return layout.ascii ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
