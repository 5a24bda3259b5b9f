/**
 * Where the members of a JSON text's top-level object and the elements of one of its arrays start and end: what a
 * notebook's reader needs to name a cell's line, and what `--update` needs to edit one cell. Only run on text that
 * JSON.parse accepted.
 *
 * Strings are skipped, never decoded: jsonc-parser's scanner decodes every string it passes, which took over a
 * second for one 8 MB cell source of 2 million escaped newlines. No recursion: a million `[` must not overflow
 * the call stack.
 */

/** Offsets of a value: `text.slice(offset, end)` is the value's text. */
export interface Span {
  offset: number;
  end: number;
}

/** A member of the top-level object: where its key starts, and its value's span. */
export interface Member {
  key: number;
  value: Span;
}

/**
 * The members of the top-level object by key (the last one, where a key repeats: JSON.parse keeps the last value);
 * empty when the text is not an object.
 */
export function topLevelMembers(text: string): Map<string, Member> {
  const members = new Map<string, Member>();
  let i = skipWs(text, 0);
  if (text[i] !== '{') return members;
  i = skipWs(text, i + 1);
  while (text[i] === '"') {
    const key = i;
    const keyEnd = skipString(text, i);
    const name = JSON.parse(text.slice(key, keyEnd)) as string;
    const offset = skipWs(text, skipWs(text, keyEnd) + 1);
    const end = skipValue(text, offset);
    members.set(name, { key, value: { offset, end } });
    i = skipWs(text, end);
    if (text[i] !== ',') break;
    i = skipWs(text, i + 1);
  }
  return members;
}

/** The elements of the array whose span is given (none when it is not an array). */
export function arrayElements(text: string, array: Span): Span[] {
  const out: Span[] = [];
  if (text[array.offset] !== '[') return out;
  let i = skipWs(text, array.offset + 1);
  while (i < array.end && text[i] !== ']') {
    const end = skipValue(text, i);
    out.push({ offset: i, end });
    i = skipWs(text, end);
    if (text[i] === ',') i = skipWs(text, i + 1);
  }
  return out;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** The offset after the string that starts at `i`. */
function skipString(text: string, i: number): number {
  for (let quote = text.indexOf('"', i + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    // A quote ends the string unless an odd number of backslashes escapes it.
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}

/** The offset after the value that starts at `i`. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (; i < text.length; i++) {
      const d = text[i];
      if (d === '"') i = skipString(text, i) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return i;
  }
  while (i < text.length && !',]} \n\r\t'.includes(text[i] ?? ',')) i++;
  return i;
}
