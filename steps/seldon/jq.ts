/**
 * The trailing `| jq -M FILTER` of a seldon command, applied to what the command printed: each JSON value of the
 * stream, pretty-printed with two spaces as jq prints it, or the value at a path (`.versions[0].state`).
 */
import type { SeldonJq } from '../../src/core/model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON values of a text, one after another as jq reads its input; a non-JSON part ends with jq's error. */
function values(text: string): { values: Json[]; error?: string } {
  const out: Json[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        if (depth === 0 && !inString) {
          i++;
          break;
        }
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    const chunk = text.slice(start, i);
    try {
      out.push(JSON.parse(chunk) as Json);
    } catch {
      const line = text.slice(0, start).split('\n').length;
      return { values: out, error: `jq: parse error: Invalid numeric literal at line ${line}, column ${chunk.length + 1}` };
    }
  }
  return { values: out };
}

function pick(value: Json, path: readonly (string | number)[]): Json {
  let at: Json = value;
  for (const step of path) {
    if (at === null) return null;
    if (typeof step === 'number') {
      if (!Array.isArray(at)) throw new Error(`jq: error (at <stdin>:0): Cannot index ${typeName(at)} with number`);
      at = at[step] ?? null;
    } else {
      if (typeof at !== 'object' || Array.isArray(at)) throw new Error(`jq: error (at <stdin>:0): Cannot index ${typeName(at)} with "${step}"`);
      at = at[step] ?? null;
    }
  }
  return at;
}

function typeName(v: Json): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v;
}

/** jq's output and exit status for `text` on its standard input. */
export function applyJq(jq: SeldonJq, text: string): { stdout: string; stderr: string; exitCode: number } {
  const read = values(text);
  let stdout = '';
  try {
    for (const v of read.values) stdout += JSON.stringify(jq.type === 'path' ? pick(v, jq.path) : v, null, 2) + '\n';
  } catch (err) {
    return { stdout, stderr: `${(err as Error).message}\n`, exitCode: 5 };
  }
  return read.error ? { stdout, stderr: `${read.error}\n`, exitCode: 2 } : { stdout, stderr: '', exitCode: 0 };
}
