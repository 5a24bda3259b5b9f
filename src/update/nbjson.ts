/**
 * JSON the way nbformat writes notebooks (Python's `json.dumps(nb, sort_keys=True, indent=1,
 * ensure_ascii=False)` plus a final newline), with numbers kept as written: JavaScript would turn `1.0` into `1`.
 */

/** A number as it was written in the source. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type NbValue = null | boolean | string | RawNumber | NbValue[] | { [key: string]: NbValue };

/** Parses JSON text, keeping number lexemes. Throws SyntaxError on invalid JSON. */
export function parseNbJson(text: string): NbValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): NbValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: NbValue } = {};
      ws();
      if (text[i] === '}') return i++, obj;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        obj[key] = value();
        ws();
        const sep = text[i++];
        if (sep === '}') return obj;
        if (sep !== ',') fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: NbValue[] = [];
      ws();
      if (text[i] === ']') return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return arr;
        if (sep !== ',') fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    const word = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!word) return fail('unexpected character');
    i += word[0].length;
    if (word[0] === 'true') return true;
    if (word[0] === 'false') return false;
    if (word[0] === 'null') return null;
    return new RawNumber(word[0]);
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const result = value();
  ws();
  if (i < text.length) fail('unexpected text after JSON');
  return result;
}

/** Serialises as nbformat does: keys sorted, one-space indent, non-ASCII as is, and a final newline. */
export function stringifyNbJson(value: NbValue): string {
  return `${write(value, '')}\n`;
}

function write(value: NbValue, pad: string): string {
  if (value === null) return 'null';
  if (value instanceof RawNumber) return value.text;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${pad} `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + write(v, inner)).join(',\n')}\n${pad}]`;
  }
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${write(value[k]!, inner)}`).join(',\n')}\n${pad}}`;
}
