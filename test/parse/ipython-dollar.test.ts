/**
 * The one-pass search for IPython's `$` fields finds exactly what IPython's own pattern finds (the pattern is
 * quadratic on long lines, which the fuzz run's 10 MB lines showed as a hang).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dollarMatches } from '../../src/parse/ipython-interpolate.js';

const IPYTHON = /(.*?)\$(\$?[\w.]+)(?=(?:[^']*'[^']*')*[^']*$)/gs;
const reference = (text: string) => [...text.matchAll(IPYTHON)].map((m) => ({ before: m[1]!, field: m[2]!, end: m.index + m[0].length }));

describe("IPython's $ fields", () => {
  it('are found as its pattern finds them, over lines of $, quotes, words, dots and spaces', () => {
    const line = fc.array(fc.constantFrom('$', '$', "'", 'a', 'B_1', '.', ' ', '"', '\n', '{'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(line, (text) => {
        expect(dollarMatches(text)).toEqual(reference(text));
      }), { numRuns: 2000, seed: 20_240_817 });
  });

  it("keep IPython's escape and its quote rule", () => {
    expect(dollarMatches("echo $$HOME '$x' $y")).toEqual([
      { before: 'echo ', field: '$HOME', end: 11 },
      { before: " '$x' ", field: 'y', end: 19 },
    ]);
  });
});
