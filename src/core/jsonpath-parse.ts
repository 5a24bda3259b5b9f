/**
 * The parser of kubectl's JSONPath dialect: template text and `{…}` actions (paths, `range`/`end`, quoted
 * literals), into plain nodes that jsonpath.ts evaluates.
 */

export type Segment =
  | { t: 'field'; name: string }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'index'; start?: number; end?: number; step?: number; single: boolean }
  | { t: 'union'; items: Segment[][] }
  | { t: 'filter'; left: Segment[]; op: string; right: Segment[] }
  | { t: 'literal'; value: unknown }
  | { t: 'root' };

export type Node = { t: 'text'; text: string } | { t: 'expr'; path: Segment[] } | { t: 'range'; path: Segment[] } | { t: 'end' };

export class JsonPathError extends Error {}

/** Parses a template such as `{range .items[*]}{.metadata.name}{"\n"}{end}`. */
export function parseJsonPath(template: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) {
      nodes.push({ t: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) nodes.push({ t: 'text', text: template.slice(i, open) });
    const close = findClose(template, open + 1);
    if (close === -1) throw new JsonPathError(`unclosed action`);
    nodes.push(parseAction(template.slice(open + 1, close).trim()));
    i = close + 1;
  }
  return nodes;
}

/** The `}` closing an action, skipping quoted strings and nested brackets. */
function findClose(s: string, from: number): number {
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

function parseAction(body: string): Node {
  if (body === 'end') return { t: 'end' };
  if (/^range\s/.test(body)) return { t: 'range', path: parsePath(body.slice(5).trim()) };
  return { t: 'expr', path: parsePath(body) };
}

const terminators = new Set([' ', '\t', '\n', '.', ',', '[', ']', '$', '@', '{', '}', '(', ')']);

function parsePath(src: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '@') {
      i++;
    } else if (c === '$') {
      segs.push({ t: 'root' });
      i++;
    } else if (c === '.') {
      if (src[i + 1] === '.') {
        segs.push({ t: 'recursive' });
        i++;
      }
      i++;
      let name = '';
      while (i < src.length && !terminators.has(src[i]!)) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        name += src[i];
        i++;
      }
      if (name === '*') segs.push({ t: 'wildcard' });
      else if (name) segs.push({ t: 'field', name });
    } else if (c === '[') {
      const end = matchingBracket(src, i);
      segs.push(parseBracket(src.slice(i + 1, end)));
      i = end + 1;
    } else if (c === '"' || c === "'") {
      const end = closingQuote(src, i);
      segs.push({ t: 'literal', value: unquote(src.slice(i, end + 1)) });
      i = end + 1;
    } else {
      // A bare literal in a filter: number or boolean.
      const m = /^(-?\d+(?:\.\d+)?|true|false)/.exec(src.slice(i));
      if (!m) throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
      const text = m[1]!;
      segs.push({ t: 'literal', value: text === 'true' ? true : text === 'false' ? false : Number(text) });
      i += text.length;
    }
  }
  return segs;
}

function matchingBracket(src: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new JsonPathError('unterminated array');
}

function closingQuote(src: string, open: number): number {
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === src[open]) return i;
  }
  throw new JsonPathError('unterminated quoted string');
}

function unquote(quoted: string): string {
  const inner = quoted.slice(1, -1);
  try {
    return JSON.parse(`"${inner.replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"')}"`) as string;
  } catch {
    return inner;
  }
}

function parseBracket(inner: string): Segment {
  const body = inner.trim();
  if (body.startsWith('?(') && body.endsWith(')')) {
    const expr = body.slice(2, -1);
    const m = /^([^!<>=]+?)\s*(==|!=|>=|<=|>|<)\s*(.+)$/.exec(expr);
    if (!m) return { t: 'filter', left: parsePath(expr.trim()), op: 'exists', right: [] };
    return { t: 'filter', left: parsePath(m[1]!.trim()), op: m[2]!, right: parsePath(m[3]!.trim()) };
  }
  if (body === '*') return { t: 'wildcard' };
  if (body.includes(',')) {
    return { t: 'union', items: body.split(',').map((part) => parseBracketPart(part.trim())) };
  }
  return parseBracketPart(body)[0]!;
}

function parseBracketPart(part: string): Segment[] {
  if (part.startsWith("'") || part.startsWith('"')) return [{ t: 'field', name: unquote(part) }];
  if (part.startsWith('.') || part.startsWith('@')) return parsePath(part);
  const pieces = part.split(':');
  if (pieces.length > 3 || pieces.some((p) => p.trim() !== '' && !/^-?\d+$/.test(p.trim()))) {
    throw new JsonPathError(`invalid array index ${part}`);
  }
  const num = (p?: string) => (p === undefined || p.trim() === '' ? undefined : Number(p));
  return [{ t: 'index', start: num(pieces[0]), end: num(pieces[1]), step: num(pieces[2]), single: pieces.length === 1 }];
}
