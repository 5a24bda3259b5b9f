/**
 * fast-check arbitraries of hostile runbooks: the istio runbook and its notebook, mutated at the byte, line and
 * JSON level with what breaks parsers (truncation, flips, open fences, deep nesting, NUL, invalid UTF-8, junk
 * directives and front matter, wrong nbformat types). Every arbitrary yields the bytes of a file and its name.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';

const root = new URL('../..', import.meta.url);
export const seedMarkdown = readFileSync(new URL('runbooks/istio.md', root));
export const seedNotebook = readFileSync(new URL('test/fixtures/seed-istio.ipynb', root));

/** A file to feed the parser or the CLI: its extension decides how it is read. */
export interface FuzzInput {
  name: 'input.md' | 'input.ipynb' | 'input.txt';
  bytes: Buffer;
  /** What was done to the seed, for the failure message. */
  how: string;
}

/** An input that fast-check prints as what was done to the seed, not as megabytes of bytes. */
export function fuzzInput(name: FuzzInput['name'], bytes: Buffer, how: string): FuzzInput {
  return { name, bytes, how, [fc.toStringMethod]: () => `${how} (${bytes.length} bytes)` } as FuzzInput;
}

const deep = (unit: string, n: number, tail = '') => unit.repeat(n) + tail;

/** Text fragments that start, end or confuse the constructs the parser knows. */
const nastyText = fc.oneof(
  fc.constantFrom(
    '```python\n', '```\n', '````\n', '~~~\n', '```sh\n$ ', '```console\n$ kubectl get pods\n', '```output\n', '```text\n', '```yaml\n',
    '```{python}\n', '``` python extra words\n', '    indented output\n', '\t\ttabbed\n', '\\\n', '!kubectl apply -k \\\n',
    '!kustomize build config/single-model | kubectl apply -f - |\n', 'X=!kubectl get svc a -o jsonpath={.x}\n', 'X=X[0]\n',
    "os.environ['X'] = X\n", '%%bash\n', 'cat <<EOF\n', '$(touch PWNED)', '`id`', "'", '"', '${', '${X:-', '$', '\r', '\r\n', '\n\n\n',
    '\u2028', '\u00a0', '\ufeff', '\u200b', '---\n', '...\n', '===\n', '# \n', '#'.repeat(7) + ' h\n', '- ', '1. ', '> ', '<!--', '-->',
    '<!-- runbook: skip -->\n', '<!-- runbook: -->\n', '<!-- runbook: skip', '<!-- runbook: skip --> trailing\n',
  ),
  // Deep nesting: lists, blockquotes, fences inside fences.
  fc.integer({ min: 1, max: 2000 }).map((n) => deep('  ', n, '- item\n')),
  fc.integer({ min: 1, max: 2000 }).map((n) => deep('> ', n, '```python\n')),
  fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => '`'.repeat(3 + n - i) + 'python\n').join('')),
  fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => ' '.repeat(i % 4) + '~'.repeat(3 + (i % 5)) + '\n').join('')),
  fc.integer({ min: 1, max: 5000 }).map((n) => deep('[', n)),
  fc.integer({ min: 1, max: 5000 }).map((n) => deep('{"a":', n)),
  // Long lines (the 10 MB ones are in giant inputs).
  fc.tuple(fc.constantFrom('x', ' ', '`', '\\', '"', "'", '$', '{', '-', '#', '!', '|', '\t'), fc.integer({ min: 100, max: 200_000 })).map(([c, n]) => c.repeat(n)),
  fc.string({ maxLength: 40, unit: 'binary' }),
);

/** Directives whose values are junk: unknown keys, bad durations, values on flags, huge numbers. */
export const junkDirective = fc
  .array(
    fc.oneof(
      fc.constantFrom('skip', 'read-only', 'strict-outcome', 'expect=ignore', 'timeout=5s'),
      fc.tuple(fc.constantFrom('skip', 'timeout', 'expect', 'retry-budget', 'read-only', 'strict-outcome', 'nope', '', 'TIMEOUT', 'constructor', '__proto__', 'toString'), fc.constantFrom('=', '==', '')).chain(([k, eq]) =>
        fc.oneof(
          fc.constantFrom('', '0', '-1s', '1e9h', '9'.repeat(400) + 'h', '1.5.5s', 'NaNs', 'Infinityh', '.s', '1', '5 s', '1h1h', 'ms', '0.0000001ms', '1000000h', 'maybe', 'default', 'µs', '1µs'),
          fc.string({ maxLength: 12 }),
        ).map((v) => k + eq + v),
      ),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 5 },
  )
  .map((tokens) => `<!-- runbook: ${tokens.join(' ')} -->`);

/** Front matter whose values are junk, wrong types or YAML that resource-limits trip over. */
export const junkFrontMatter = fc
  .oneof(
    fc.record(
      { title: fc.jsonValue(), contexts: fc.jsonValue(), env: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue()), fc.jsonValue()), timeout: fc.jsonValue(), 'retry-budget': fc.jsonValue(), tiemout: fc.string() },
      { requiredKeys: [] },
    ).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      'title: [', 'a: b: c', '- 1\n- 2', '"just a string"', '!!binary aGVsbG8=', 'x: !!js/function "() => 1"', 'timeout: 1000000000h', 'timeout: 5',
      'env: {A: [1]}', 'env: {"1A": x}', 'a: &a [1]\nb: *a', 'a: *missing', 'a: 1\na: 2', '? [a]\n: b', '%YAML 1.1\n---', '---\n---', 'title: !!float x',
      Array.from({ length: 9 }, (_, i) => `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${i === 0 ? '"x","x","x","x","x","x","x","x","x"' : Array(9).fill('*' + 'abcdefghi'[i - 1]).join(',')}]`).join('\n'),
    ),
    fc.integer({ min: 1, max: 20_000 }).map((n) => deep('[', n)),
    fc.integer({ min: 1, max: 500 }).map((n) => Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'a:').join('\n')),
    fc.string({ maxLength: 60 }),
  )
  .map((yaml) => `---\n${yaml}\n---\n`);

const bytes = fc.oneof(
  fc.constantFrom([0], [0xff], [0xfe, 0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xef, 0xbb, 0xbf], [0xe2, 0x82], [0x80]),
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
);

/** One edit of a byte buffer. Positions are taken modulo the length, so any number fits any buffer. */
type Edit =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; byte: number }
  | { op: 'insert'; at: number; chunk: Buffer; what: string }
  | { op: 'insert-line'; line: number; chunk: Buffer; what: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), chunk: bytes.map((b) => Buffer.from(b)), what: fc.constant('bytes') }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), chunk: nastyText.map((t) => Buffer.from(t)), what: fc.constant('text') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert-line' as const), line: fc.nat(), chunk: fc.oneof(nastyText, junkDirective).map((t) => Buffer.from(t + '\n')), what: fc.constant('line') }) },
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 2000 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4000 }), to: fc.nat() }),
);

/** Offset of the start of line `line` (modulo the number of lines). */
function lineStart(buf: Buffer, line: number): number {
  const starts = [0];
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) starts.push(i + 1);
  return starts[line % starts.length]!;
}

export function applyEdit(buf: Buffer, e: Edit): Buffer {
  const n = buf.length;
  const at = (x: number) => (n === 0 ? 0 : x % (n + 1));
  switch (e.op) {
    case 'truncate':
      return buf.subarray(0, at(e.at));
    case 'flip': {
      if (n === 0) return buf;
      const copy = Buffer.from(buf);
      copy[e.at % n] = e.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([buf.subarray(0, at(e.at)), e.chunk, buf.subarray(at(e.at))]);
    case 'insert-line': {
      const s = lineStart(buf, e.line);
      return Buffer.concat([buf.subarray(0, s), e.chunk, buf.subarray(s)]);
    }
    case 'delete':
      return Buffer.concat([buf.subarray(0, at(e.at)), buf.subarray(at(e.at) + e.length)]);
    case 'duplicate': {
      const piece = buf.subarray(at(e.at), at(e.at) + e.length);
      return Buffer.concat([buf.subarray(0, at(e.to)), piece, buf.subarray(at(e.to))]);
    }
  }
}

function describeEdit(e: Edit): string {
  switch (e.op) {
    case 'insert':
    case 'insert-line':
      return `${e.op} ${e.what} ${JSON.stringify(e.chunk.subarray(0, 40).toString('latin1'))}${e.chunk.length > 40 ? `… (${e.chunk.length} bytes)` : ''} at ${e.op === 'insert' ? e.at : `line ${e.line}`}`;
    case 'truncate':
    case 'flip':
    case 'delete':
    case 'duplicate':
      return JSON.stringify(e);
  }
}

/** `seed` after one to four byte- or line-level edits. */
export function mutated(seed: Buffer, name: FuzzInput['name']): fc.Arbitrary<FuzzInput> {
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => fuzzInput(name, edits.reduce(applyEdit, seed), `${name}: ${edits.map(describeEdit).join('; ')}`));
}

/** The istio runbook with junk front matter, a junk directive before a cell, or both. */
export const junkSettingsMarkdown: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.option(junkFrontMatter, { nil: undefined }), fc.option(junkDirective, { nil: undefined }), fc.nat())
  .map(([front, directive, cell]) => {
    let text = seedMarkdown.toString('utf8');
    if (directive !== undefined) {
      const fences = [...text.matchAll(/^```python$/gm)].map((m) => m.index);
      const at = fences[cell % fences.length]!;
      text = text.slice(0, at) + directive + '\n' + text.slice(at);
    }
    if (front !== undefined) text = front + text;
    return fuzzInput('input.md', Buffer.from(text), `front matter ${JSON.stringify(front)?.slice(0, 200)}, directive ${JSON.stringify(directive)?.slice(0, 200)} before cell ${cell}`);
  });

/** Values of the wrong JSON type (or the right type with junk in it) for nbformat fields. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, 0, -1, 4.5, true, '', 'x', [], {}, [1, 2], [null], [[]], { a: 1 }, ['ok', 3], 'runbook-timeout=1e9h', ['runbook-nope'], ['runbook-skip=1']),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Where in a notebook a wrong value goes: a path of keys, `*` meaning "some element" (picked by the index). */
const notebookPaths: (string | number)[][] = [
  ['nbformat'], ['nbformat_minor'], ['cells'], ['metadata'], ['metadata', 'runbook'], ['metadata', 'kernelspec'], ['metadata', 'kernelspec', 'language'],
  ['metadata', 'language_info', 'name'], ['cells', '*'], ['cells', '*', 'cell_type'], ['cells', '*', 'source'], ['cells', '*', 'source', '*'],
  ['cells', '*', 'metadata'], ['cells', '*', 'metadata', 'tags'], ['cells', '*', 'metadata', 'tags', '*'], ['cells', '*', 'outputs'],
  ['cells', '*', 'outputs', '*'], ['cells', '*', 'outputs', '*', 'output_type'], ['cells', '*', 'outputs', '*', 'name'], ['cells', '*', 'outputs', '*', 'text'],
  ['cells', '*', 'outputs', '*', 'data'], ['cells', '*', 'outputs', '*', 'data', 'text/plain'], ['cells', '*', 'execution_count'],
];

function setAt(value: unknown, path: readonly (string | number)[], pick: number, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (head === '*') {
    if (!Array.isArray(value) || value.length === 0) return value;
    const i = pick % value.length;
    const copy = [...value];
    copy[i] = setAt(copy[i], rest, Math.floor(pick / value.length), replacement);
    return copy;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: setAt(record[head as string], rest, pick, replacement) };
}

const seedNotebookJson: unknown = JSON.parse(seedNotebook.toString('utf8'));

/** The istio notebook with wrong JSON types in one to three nbformat fields, written as Jupyter does or compact. */
export const wrongTypesNotebook: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...notebookPaths), fc.nat(), wrongValue), { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 1, 2))
  .map(([changes, indent]) => {
    const json = changes.reduce((nb, [path, pick, value]) => setAt(nb, path, pick, value), seedNotebookJson);
    const how = `notebook with ${changes.map(([p, pick, v]) => `${p.join('.')}[${pick}] = ${JSON.stringify(v)?.slice(0, 60)}`).join('; ')}`;
    return fuzzInput('input.ipynb', Buffer.from(JSON.stringify(json, null, indent)), how);
  });

/** A line of about 10 MB (just under the 10 MiB limit with the seed) inserted at some line of a seed. */
export const giantLine: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.constantFrom('x', ' ', '`', '\\', '"', '$', '[', '-', '#', '>', '~', 'é', '!curl ', '    ', '<!-- runbook: '), fc.boolean(), fc.nat())
  .map(([unit, notebook, line]) => {
    const seed = notebook ? seedNotebook : seedMarkdown;
    const size = 10_000_000 - (unit.length > 1 ? 100 : 0);
    // In JSON the long line goes inside a source string, where a notebook can really hold one.
    const body = unit.repeat(Math.floor(size / Buffer.byteLength(unit)));
    const chunk = notebook ? JSON.stringify(body).slice(1, -1) : body + '\n';
    let bytes: Buffer;
    if (notebook) {
      const sources = [...seed.toString('utf8').matchAll(/^ {4}"(?=[!#A-Za-z])/gm)].map((m) => m.index + m[0].length);
      const at = sources[line % sources.length]!;
      const text = seed.toString('utf8');
      bytes = Buffer.from(text.slice(0, at) + chunk + text.slice(at));
    } else {
      const s = lineStart(seed, line);
      bytes = Buffer.concat([seed.subarray(0, s), Buffer.from(chunk), seed.subarray(s)]);
    }
    return fuzzInput(notebook ? 'input.ipynb' : 'input.md', bytes, `${JSON.stringify(unit)} x ${Math.floor(size / Buffer.byteLength(unit))} in ${notebook ? 'a notebook source' : 'istio.md'} at line ${line}`);
  });

/** Any of the above except the giants, weighted towards the byte-level mutations of both seeds. */
export const anyInput: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 4, arbitrary: mutated(seedMarkdown, 'input.md') },
  { weight: 3, arbitrary: mutated(seedNotebook, 'input.ipynb') },
  { weight: 2, arbitrary: wrongTypesNotebook },
  { weight: 2, arbitrary: junkSettingsMarkdown },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => fuzzInput('input.txt', Buffer.from(b), `random bytes ${Buffer.from(b).toString('hex')}`)) },
);
