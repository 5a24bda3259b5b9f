import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElements, topLevelMembers } from '../../src/core/json-spans.js';
import { jsonError, JsonTextError, readNotebookJson } from '../../src/parse/notebook-json.js';
import { failure } from './plan-shape.js';

/** Where and why, as `offset: message`, for a text JSON.parse rejects. */
function error(text: string): string {
  try {
    readNotebookJson(text);
  } catch (e) {
    if (e instanceof JsonTextError) return `${e.offset}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('notebook JSON errors', () => {
  it.each([
    ['{"a": 1,}', "8: invalid JSON (expected a key in double quotes, found '}')"],
    ['{"a": 1 /* x */}', '8: invalid JSON (expected JSON, found a comment (JSON has none))'],
    ['{"a": 1} // x', '9: invalid JSON (expected JSON, found a comment (JSON has none))'],
    ["{'a': 1}", "1: invalid JSON (expected double quotes, found 'a')"],
    ['{"a" 1}', "5: invalid JSON (expected ':' after the key, found '1')"],
    ['{"a": 1 "b": 2}', "8: invalid JSON (expected ',' or '}', found '\"b\"')"],
    ['[1 2]', "3: invalid JSON (expected ',' or ']', found '2')"],
    ['{"a": [1, 2}', "11: invalid JSON (expected ',' or ']', found '}')"],
    ['{"a": NaN}', "6: invalid JSON (expected a JSON value or punctuation, found 'NaN')"],
    ['{"a": 01}', "7: invalid JSON (expected ',' or '}', found '1')"],
    ['{"a": 1.}', "6: invalid JSON (expected a digit in the number '1.')"],
    ['{"a": "x\ty"}', '8: invalid JSON (expected \'"\' or an escape such as \\n, found the control character \\t in a string)'],
    ['{"a": "x\ny"}', '8: invalid JSON (expected \'"\' or an escape such as \\n, found the control character \\n in a string)'],
    ['{"a": "x\\qy"}', "8: invalid JSON (expected an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX), found '\\q' in a string)"],
    ['{"a": "\\u12G4"}', '7: invalid JSON (expected four hex digits after \\u in a string)'],
    ['{"a": "open', '11: invalid JSON (expected \'"\' to close the string, found the end of the file)'],
    ['{"a": 1', "7: invalid JSON (expected ',' or '}', found the end of the file)"],
    ['', '0: invalid JSON (expected a value, found the end of the file)'],
    ['{} {}', "3: invalid JSON (expected the end of the file after the top-level value, found '{')"],
    ['\u00a0{}', '0: invalid JSON (expected a JSON value or punctuation, found the character U+00A0)'],
    ['{"a": 1\u2028}', '7: invalid JSON (expected a JSON value or punctuation, found the character U+2028)'],
  ])('%j', (text, expected) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(error(text)).toBe(expected);
  });

  it('a million [ ends at the end of the file without overflowing the stack', () => {
    const text = '['.repeat(1_000_000);
    expect(error(text)).toBe(`${text.length}: invalid JSON (Unexpected end of JSON input)`);
  });

  it('deeply nested valid JSON is read', () => {
    const text = `{"cells": [], "nbformat": 4, "metadata": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(readNotebookJson(text).keys.get('metadata')).toBe(text.indexOf('"metadata"'));
  });

  it('reaches the CLI as a located InputError', () => {
    expect(failure('{\n "nbformat": 4,\n "cells": [1,]\n}\n', 'bad.ipynb')).toBe("bad.ipynb:3:14: not a notebook: invalid JSON (expected a value, found ']')");
  });

  // Mutations of a small notebook: jsonc-parser, set to strict, must reject exactly what JSON.parse rejects.
  it('rejects exactly what JSON.parse rejects', () => {
    const seed = JSON.stringify({ cells: [{ cell_type: 'code', source: ['!echo "hi"\n', 'é\\'], outputs: [], n: -1.5e3 }], nbformat: 4, metadata: { a: [true, false, null] } }, null, 1);
    const edit = fc.tuple(
      fc.nat({ max: seed.length }),
      fc.nat({ max: 3 }),
      fc.constantFrom('', ',', '}', ']', '{', '[', '"', '\\', ':', ' ', '\t', '\n', '\r', '\u00a0', '/*', '//', '\u0001', 'u', '0', '-', '.', 'e', 'true', 'nul', '\\u00', "'", '\u2028', '\ufeff'),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = seed;
        for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
        let strict = true;
        try {
          JSON.parse(text);
        } catch {
          strict = false;
        }
        if (strict) {
          expect(() => readNotebookJson(text)).not.toThrow();
          return;
        }
        const e = jsonError(text, new SyntaxError('V8 fallback'));
        // Found by jsonc-parser, not by falling back to V8's words; and inside the text.
        expect(e.message, JSON.stringify(text)).toMatch(/^invalid JSON \(expected /);
        expect(e.offset).toBeGreaterThanOrEqual(0);
        expect(e.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});

describe('core json-spans', () => {
  // Random JSON in random layouts: each span must hold exactly its value.
  const layout = fc.constantFrom<(v: unknown) => string>(
    (v) => JSON.stringify(v),
    (v) => JSON.stringify(v, null, 1),
    (v) => JSON.stringify(v, null, '\t').replace(/\n/g, '\r\n'),
  );
  it('find each top-level member and each element of an array', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: fc.constantFrom('a', '"', '\\', 'é', '\n', ']', '}') }), fc.jsonValue()), fc.array(fc.jsonValue(), { maxLength: 5 }), layout, (members, cells, write) => {
        // Through JSON once, so that -0 is 0 on both sides.
        const value = JSON.parse(JSON.stringify({ ...members, cells })) as Record<string, unknown>;
        const text = write(value);
        const found = topLevelMembers(text);
        expect([...found.keys()].sort()).toEqual(Object.keys(value).sort());
        for (const [name, member] of found) {
          expect(JSON.parse(text.slice(member.value.offset, member.value.end))).toEqual(value[name]);
          expect(text.startsWith(JSON.stringify(name), member.key)).toBe(true);
        }
        const spans = arrayElements(text, found.get('cells')!.value);
        expect(spans.map((s) => JSON.parse(text.slice(s.offset, s.end)) as unknown)).toEqual(value.cells);
      }),
      { numRuns: 500, seed: 12 },
    );
  });

  it('keep the last of repeated keys, as JSON.parse does', () => {
    const text = '{"cells": [1], "x": 0, "cells": [2, 3]}';
    const cells = topLevelMembers(text).get('cells')!;
    expect(arrayElements(text, cells.value).map((s) => text.slice(s.offset, s.end))).toEqual(['2', '3']);
    expect(readNotebookJson(text).cells).toEqual([text.indexOf('2'), text.indexOf('3')]);
  });
});
