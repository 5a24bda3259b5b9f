/**
 * The YAML that kustomize prints: each object goes through JSON and then go-yaml v2's encoder (sigs.k8s.io/yaml's
 * JSONToYAML), which sorts mapping keys in its own natural order, leaves sequences unindented under their key, and
 * picks a scalar's quoting from how the string would read back. Only values whose form is certain are written;
 * anything else throws `Unsure`, so the caller can run the real tool instead of printing something else.
 */

/** A value go-yaml v2 might print differently from what this module would: the caller falls back to kustomize. */
export class Unsure extends Error {}

/** Strings that go-yaml v2 reads back as booleans or null, so it double-quotes them. */
const RESERVED = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]).concat('~'),
);
/** Plain in block context: no indicator first, no space (go-yaml folds long lines at spaces), no `:` last. */
const PLAIN = /^[A-Za-z/][A-Za-z0-9_./:+=@-]*$/;
/** `*` and `@` are indicators first in a line: otherwise plain, these are single-quoted. */
const SINGLE = /^[*@][A-Za-z0-9_./-]*$/;

function scalar(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Unsure(`number ${value}`);
    return String(value);
  }
  if (value === null) return 'null';
  if (typeof value !== 'string') throw new Unsure(`value ${typeof value}`);
  // A string that would read back as another type (a number, a boolean, null, the empty string) is double-quoted.
  if (value === '' || RESERVED.has(value) || /^[0-9]+$/.test(value)) return `"${value}"`;
  if (PLAIN.test(value) && !value.endsWith(':')) return value;
  if (SINGLE.test(value)) return `'${value}'`;
  throw new Unsure(`string ${JSON.stringify(value)}`);
}

function key(name: string): string {
  if (!PLAIN.test(name) || name.endsWith(':') || RESERVED.has(name)) throw new Unsure(`key ${JSON.stringify(name)}`);
  return name;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/**
 * go-yaml v2's order of string keys (sorter.go): letters compare as code points, a non-letter sorts before a
 * letter, and runs of digits compare as numbers (`s9` before `s10`), so `a_b` comes before `aB`.
 */
export function keyOrder(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x < y ? -1 : 1;
    if (xl || yl) return yl ? -1 : 1;
    let an = 0;
    let bn = 0;
    // A zero after a number's non-zero digits is part of that number, not a leading zero.
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ar.length - br.length;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lines of `value` as the body of a mapping or sequence at `indent`. */
function block(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) item_(item, indent, out);
    return;
  }
  if (!isMap(value)) throw new Unsure('a document that is not a mapping');
  for (const name of Object.keys(value).sort(keyOrder)) entry(key(name), value[name], indent, out);
}

function entry(name: string, value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${indent}${name}: []`);
    else {
      out.push(`${indent}${name}:`);
      // go-yaml v2 writes a sequence under a mapping key at the key's own indent.
      block(value, indent, out);
    }
  } else if (isMap(value)) {
    if (Object.keys(value).length === 0) out.push(`${indent}${name}: {}`);
    else {
      out.push(`${indent}${name}:`);
      block(value, `${indent}  `, out);
    }
  } else out.push(`${indent}${name}: ${scalar(value)}`);
}

function item_(value: unknown, indent: string, out: string[]): void {
  const nested = (Array.isArray(value) && value.length > 0) || (isMap(value) && Object.keys(value).length > 0);
  if (!nested) {
    out.push(`${indent}- ${Array.isArray(value) ? '[]' : isMap(value) ? '{}' : scalar(value)}`);
    return;
  }
  // The item's first line goes after the dash; the rest line up two columns in.
  const lines: string[] = [];
  block(value, `${indent}  `, lines);
  out.push(`${indent}- ${lines[0]!.slice(indent.length + 2)}`, ...lines.slice(1));
}

/** One object as go-yaml v2 prints it (ending in a newline); throws Unsure when that form is not certain. */
export function goYaml(object: Record<string, unknown>): string {
  const out: string[] = [];
  block(object, '', out);
  return `${out.join('\n')}\n`;
}
