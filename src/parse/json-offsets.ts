/**
 * Character offsets inside JSON text that JSON.parse does not keep: where each notebook cell starts, so steps
 * and errors can name the cell's line. Only ever run on text that JSON.parse accepted.
 */

/** Offsets of the elements of the top-level object's `cells` array (empty when there is none). */
export function cellOffsets(text: string): number[] {
  let offsets: number[] = [];
  let i = skipWs(text, 0);
  if (text[i] !== '{') return offsets;
  i = skipWs(text, i + 1);
  while (text[i] === '"') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, skipWs(text, keyEnd) + 1);
    // JSON.parse keeps the last of duplicate keys; so do we.
    if (key === 'cells' && text[i] === '[') offsets = arrayElements(text, i);
    i = skipWs(text, skipValue(text, i));
    if (text[i] !== ',') break;
    i = skipWs(text, i + 1);
  }
  return offsets;
}

/** Offset of the value of top-level `key`, if present. */
export function topLevelKeyOffset(text: string, key: string): number | undefined {
  let found: number | undefined;
  let i = skipWs(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipWs(text, i + 1);
  while (text[i] === '"') {
    const start = i;
    const keyEnd = skipString(text, i);
    if (JSON.parse(text.slice(i, keyEnd)) === key) found = start;
    i = skipWs(text, skipWs(text, keyEnd) + 1);
    i = skipWs(text, skipValue(text, i));
    if (text[i] !== ',') break;
    i = skipWs(text, i + 1);
  }
  return found;
}

function arrayElements(text: string, start: number): number[] {
  const out: number[] = [];
  let i = skipWs(text, start + 1);
  while (i < text.length && text[i] !== ']') {
    out.push(i);
    i = skipWs(text, skipValue(text, i));
    if (text[i] === ',') i = skipWs(text, i + 1);
  }
  return out;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return i;
}

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
  while (i < text.length && !',]} \n\r\t'.includes(text[i]!)) i++;
  return i;
}

/**
 * Offset of the first JSON syntax error in `text`, for messages that V8 words without one
 * (`Unexpected token '}', "…" is not valid JSON`). Only run after JSON.parse failed.
 */
class SyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${offset}`);
  }
}

export function jsonSyntaxErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const ws = () => {
    i = skipWs(text, i);
  };
  const string = () => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
    }
    fail();
  };
  // An explicit stack of open containers rather than recursion: a million `[` must not overflow the call stack.
  const value = (): void => {
    const open: ('{' | '[')[] = [];
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) i++;
        else {
          open.push(c);
          if (c === '{') key();
          continue;
        }
      } else if (c === '"') string();
      else {
        const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
        if (!literal) fail();
        i += literal![0].length;
      }
      // A value ended: close containers until one continues with a comma.
      for (;;) {
        const top = open.at(-1);
        if (top === undefined) return;
        ws();
        if (text[i] === ',') {
          i++;
          if (top === '{') key();
          break;
        }
        if (text[i] !== (top === '{' ? '}' : ']')) fail();
        i++;
        open.pop();
      }
    }
  };
  const key = () => {
    ws();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (error) {
    if (error instanceof SyntaxAt) return Math.min(error.offset, text.length);
    throw error;
  }
  return text.length;
}
