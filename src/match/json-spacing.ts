/**
 * JSON inside a line, without the spaces between its tokens. Go's protojson adds a space after some `,` and `:`
 * at random, on purpose (`{"name":"OUTPUT1", "datatype":"INT64"}`, `[11, 12]`), so two runs of one command
 * differ in spacing only. Removing whitespace outside strings changes no JSON value, so no real change can hide.
 */

// Author patterns that may stand for a JSON value in recorded output: `[..]`, `[NUMBER]`, `...`.
const PATTERN_VALUE = /\[(?:\.\.|[A-Z]+)\]|\.\.\./g;
const HAS_PATTERN = /\[(?:\.\.|[A-Z]+)\]|\.\.\./;

/** The balanced `{…}` / `[…]` spans of a line, outside strings, as [start, end) pairs in order of their start. */
function spans(line: string): [number, number][] {
  const out: [number, number][] = [];
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') open.push(i);
    else if (c === '}' || c === ']') {
      const start = open.pop();
      if (start === undefined) continue;
      // A `]` closing a `{` is not JSON; forget the bracket and keep scanning.
      if ((line[start] === '{') === (c === '}')) out.push([start, i + 1]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A span is taken when it parses as JSON once author patterns in value position stand for `null`. */
function isJsonish(text: string): boolean {
  if (isJson(text)) return true;
  if (!HAS_PATTERN.test(text)) return false;
  return isJson(withoutStrings(text, (outside) => outside.replace(PATTERN_VALUE, 'null')));
}

/** `text` with `edit` applied to each run of characters outside JSON strings. */
function withoutStrings(text: string, edit: (outside: string) => string): string {
  let out = '';
  let run = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      out += edit(run) + c;
      run = '';
      inString = true;
    } else run += c;
  }
  return out + edit(run);
}

const MAX_MISSES = 64;

const compact = (span: string) => withoutStrings(span, (outside) => outside.replace(/\s+/g, ''));

/** Each outermost JSON object or array of the line, compacted. Lines without `{`/`[` cost one scan. */
export function compactJsonInLine(line: string): string {
  if (!/[{[]/.test(line) || !/\s/.test(line)) return line;
  let out = '';
  let cursor = 0;
  // Deeply nested brackets that are not JSON (`[[[[x ]]]]`) would cost a parse of each level: give up early.
  let misses = 0;
  for (const [start, end] of spans(line)) {
    if (start < cursor) continue;
    const span = line.slice(start, end);
    if (!/\s/.test(span)) continue;
    if (!isJsonish(span)) {
      if (++misses > MAX_MISSES) break;
      continue;
    }
    out += line.slice(cursor, start) + compact(span);
    cursor = end;
  }
  return cursor === 0 ? line : out + line.slice(cursor);
}

/** Every line of `text` through `compactJsonInLine`; line structure is kept. */
export function compactJsonLines(text: string): string {
  if (!/[{[]/.test(text)) return text;
  return text
    .split('\n')
    .map((l) => compactJsonInLine(l))
    .join('\n');
}
