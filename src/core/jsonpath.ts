/**
 * kubectl's JSONPath dialect (client-go util/jsonpath), as `kubectl get -o jsonpath=…` evaluates it with missing
 * keys allowed: `{.a.b[0].c}`, `{.items[*].x}`, `{range …}…{end}`, filters `[?(@.x=="y")]`, `{"\n"}` literals,
 * unions, slices, recursive descent. Output follows its printer: several results of one expression joined by a
 * space, maps and lists as compact JSON, scalars as Go's fmt prints them.
 */
import { JsonPathError, parseJsonPath, type Node, type Segment } from './jsonpath-parse.js';
import { goJson } from './json.js';

export { JsonPathError, parseJsonPath };

/** Evaluates a parsed template against a JSON value and returns what kubectl prints (no trailing newline added). */
export function executeJsonPath(nodes: Node[], data: unknown): string {
  let out = '';
  const run = (list: Node[], cur: unknown, start: number): number => {
    for (let i = start; i < list.length; i++) {
      const node = list[i]!;
      if (node.t === 'end') return i;
      if (node.t === 'text') out += node.text;
      else if (node.t === 'expr') out += printResults(evalPath(node.path, [cur], data));
      else {
        const items = evalPath(node.path, [cur], data);
        let endAt = skipToEnd(list, i + 1);
        for (const item of items) endAt = run(list, item, i + 1);
        i = endAt;
      }
    }
    return list.length;
  };
  run(nodes, data, 0);
  return out;
}

function skipToEnd(list: Node[], from: number): number {
  let depth = 0;
  for (let i = from; i < list.length; i++) {
    const t = list[i]!.t;
    if (t === 'range') depth++;
    else if (t === 'end' && depth-- === 0) return i;
  }
  return list.length;
}

/** Parses and evaluates in one go (the form capture steps use). */
export function jsonPath(template: string, data: unknown): string {
  return executeJsonPath(parseJsonPath(template), data);
}

/** Every value the path selects, without printing (wait --for=jsonpath uses the first). */
export function findJsonPath(template: string, data: unknown): unknown[] {
  const nodes = parseJsonPath(template).filter((n) => n.t === 'expr');
  return nodes.flatMap((n) => (n.t === 'expr' ? evalPath(n.path, [data], data) : []));
}

function evalPath(path: Segment[], input: unknown[], root: unknown): unknown[] {
  let values = input;
  for (const seg of path) values = evalSegment(seg, values, root);
  return values;
}

function evalSegment(seg: Segment, input: unknown[], root: unknown): unknown[] {
  switch (seg.t) {
    case 'root':
      return [root];
    case 'literal':
      return input.map(() => seg.value);
    case 'field':
      return input.flatMap((v) => (isMap(v) && Object.hasOwn(v, seg.name) ? [v[seg.name]] : []));
    case 'wildcard':
      return input.flatMap((v) => (Array.isArray(v) ? v : isMap(v) ? sortedValues(v) : []));
    case 'recursive':
      return input.flatMap((v) => descend(v));
    case 'union':
      return seg.items.flatMap((items) => evalPath(items, input, root));
    case 'index':
      return input.flatMap((v) => (v === null || v === undefined ? [] : slice(v, seg)));
    case 'filter':
      return input.flatMap((v) => {
        if (v === null || v === undefined) return [];
        if (!Array.isArray(v)) throw new JsonPathError(`${goType(v)} is not array or slice and cannot be filtered`);
        return v.filter((item) => passes(seg, item, root));
      });
  }
}

function slice(v: unknown, seg: Extract<Segment, { t: 'index' }>): unknown[] {
  if (!Array.isArray(v)) throw new JsonPathError(`${goType(v)} is not array or slice`);
  const len = v.length;
  let start = seg.start ?? 0;
  if (start < 0) start += len;
  let end = seg.single ? start + 1 : (seg.end ?? len);
  if (!seg.single && seg.end !== undefined && seg.end < 0) end += len;
  if (end === start) return [];
  if (start >= len || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`);
  if (end > len || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${len}`);
  if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
  const step = seg.step ?? 1;
  if (step <= 0) throw new JsonPathError('step must be > 0');
  const out: unknown[] = [];
  for (let i = start; i < end; i += step) out.push(v[i]);
  return out;
}

function passes(seg: Extract<Segment, { t: 'filter' }>, item: unknown, root: unknown): boolean {
  const lefts = evalPath(seg.left, [item], root);
  if (seg.op === 'exists') return lefts.length > 0;
  const rights = evalPath(seg.right, [item], root);
  if (lefts.length === 0 || rights.length === 0) return false;
  if (lefts.length > 1 || rights.length > 1) throw new JsonPathError('can only compare one element at a time');
  const [l, r] = [lefts[0], rights[0]];
  switch (seg.op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
  }
  if (typeof l !== typeof r || (typeof l !== 'number' && typeof l !== 'string')) throw new JsonPathError('incompatible types for comparison');
  const [a, b] = [l, r as number | string];
  return seg.op === '<' ? a < b : seg.op === '>' ? a > b : seg.op === '<=' ? a <= b : a >= b;
}

function descend(v: unknown): unknown[] {
  const children = Array.isArray(v) ? v : isMap(v) ? sortedValues(v) : [];
  if (children.length === 0) return [];
  return [v, ...children.flatMap(descend)];
}

function sortedValues(v: Record<string, unknown>): unknown[] {
  return Object.keys(v)
    .sort()
    .map((k) => v[k]);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'interface {}';
}

function printResults(values: unknown[]): string {
  return values.map(printValue).join(' ');
}

/** One value as kubectl's JSONPath printer writes it. */
export function printValue(v: unknown): string {
  if (Array.isArray(v) || isMap(v)) return goJson(v).slice(0, -1);
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** Go's `fmt.Print` of an int64 or float64 (`%g` with shortest digits: exponent form below 1e-4 and from 1e6 for floats). */
export function goNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}
