import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyRepr, pySplitLines } from '../../src/core/python.js';

interface PythonView {
  repr: string;
  lines: string[];
  /** Characters Python's Unicode database leaves unassigned (its version may be older than Node's). */
  unassigned: string[];
}

/** Asks the real python3 once for every input: JSON in (lone surrogates as \u escapes), ASCII-only JSON out. */
function python(inputs: readonly string[]): PythonView[] {
  const script = [
    'import json, sys, unicodedata',
    "xs = json.loads(sys.stdin.buffer.read().decode('utf-8'))",
    "out = [{'repr': repr(x), 'lines': x.splitlines(), 'unassigned': [c for c in x if unicodedata.category(c) == 'Cn']} for x in xs]",
    'sys.stdout.write(json.dumps(out))',
  ].join('\n');
  const child = spawnSync('python3', ['-c', script], { input: JSON.stringify(inputs), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`python3 failed (${String(child.status)}): ${child.stderr}`);
  return JSON.parse(child.stdout) as PythonView[];
}

const unassignedInNode = (ch: string) => /\p{Cn}/u.test(ch);

describe('pyRepr', () => {
  // Each expected value is what `python3 -c 'print(repr(…))'` prints.
  it.each([
    ["'\\x85'", '\x85'],
    ["'\\xa0'", '\xa0'],
    ["'\\u2028'", '\u2028'],
    ["'\\u200b'", '\u200b'],
    ["'\\U000f0000'", '\u{f0000}'],
    ["'\\u3000'", '\u3000'],
    ["'\\ud800'", '\ud800'],
    ["'\\x7f\\x00\\x1b'", '\x7f\x00\x1b'],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [`'both \\' and "'`, `both ' and "`],
    ["'a\\\\b'", 'a\\b'],
    ["'é€😀 x'", 'é€😀 x'],
  ])('python3 prints %s', (expected, text) => {
    expect(pyRepr(text)).toBe(expected);
  });

  it('agrees with python3 on the examples above', () => {
    const texts = ['\x85', '\xa0', '\u2028', '\u200b', '\u{f0000}', "it's", `both ' and "`, 'a\\b'];
    expect(texts.map(pyRepr)).toEqual(python(texts).map((p) => p.repr));
  });
});

describe('pyRepr and pySplitLines against python3 (property)', () => {
  const interesting = fc.constantFrom("'", '"', '\\', '\n', '\r', '\r\n', '\t', '\v', '\f', '\x1c', '\x85', '\xa0', '\xad', '\u2028', '\u2029', '\u200b', '\u3000', '\ufeff', '\u{f0000}', '\u{10ffff}', ' ', 'a', 'é');
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
  const unit = fc.oneof({ weight: 3, arbitrary: interesting }, { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: loneSurrogate });
  const seed = Math.floor(Math.random() * 2 ** 31);
  const inputs = fc.sample(fc.string({ unit, maxLength: 12 }), { numRuns: 3000, seed });
  const views = python(inputs);

  // Code points assigned after Python's Unicode version are printable to Node and escaped by this python3.
  const comparable = inputs.flatMap((text, i) => {
    const view = views[i];
    if (!view) return [];
    const nodeUnassigned = [...text].filter(unassignedInNode);
    return view.unassigned.join('') === nodeUnassigned.join('') ? [{ text, view }] : [];
  });

  it('compares most samples (the Unicode version gap excludes only a few)', () => {
    expect(views).toHaveLength(inputs.length);
    expect(comparable.length).toBeGreaterThan(inputs.length * 0.9);
  });

  it(`repr matches python3's (seed ${seed})`, () => {
    const wrong = comparable.filter(({ text, view }) => pyRepr(text) !== view.repr).map(({ text, view }) => ({ text, ours: pyRepr(text), python: view.repr }));
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it(`splitlines matches python3's (seed ${seed})`, () => {
    const wrong = inputs.flatMap((text, i) => {
      const lines = views[i]?.lines;
      return JSON.stringify(pySplitLines(text)) === JSON.stringify(lines) ? [] : [{ text, ours: pySplitLines(text), python: lines }];
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
