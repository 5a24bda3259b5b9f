import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines, trimBlankEdges } from '../../src/core/text.js';

describe('splitLines', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a', '']],
    ['a\r\nb\r\n', ['a', 'b', '']],
    ['a\r\r\nb', ['a', 'b']],
    ['a\rb\n', ['a\rb', '']],
    ['a\r', ['a']],
    ['\n\n', ['', '', '']],
  ])('%j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });

  it('a CRLF text has the lines (and line numbers) of its LF twin', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n') }), fc.constantFrom('\r\n', '\r\r\n'), (lf, eol) => {
        expect(splitLines(lf.replace(/\n/g, eol))).toEqual(splitLines(lf));
        expect(splitLines(lf).length).toBe(lf === '' ? 0 : lf.split('\n').length);
      }),
    );
  });

  it('strips a long run of CRs in linear time', () => {
    const start = performance.now();
    expect(splitLines(`${'\r'.repeat(200_000)}x\r`)).toEqual([`${'\r'.repeat(200_000)}x`]);
    expect(performance.now() - start).toBeLessThan(200);
  });
});

describe('trimBlankEdges', () => {
  it('drops blank items at either end only', () => {
    const blank = (s: string) => s.trim() === '';
    expect(trimBlankEdges([' ', 'a', '', 'b', '\t'], blank)).toEqual(['a', '', 'b']);
    expect(trimBlankEdges(['', ' '], blank)).toEqual([]);
    expect(trimBlankEdges([], blank)).toEqual([]);
  });
});
