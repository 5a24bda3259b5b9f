// The measurement of issue 12 on our own corpus of re-recordings: how many volatile-only re-runs the matchers
// reject, and how many real changes they accept, with the rules of issue 12 switched off (before) and on (after).
// Reproduce: npx vitest run test/match/corpus-measure.test.ts (the numbers are printed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { judgeRerun, withoutRules } from '../../src/match/index.js';
// @ts-expect-error -- a plain .mjs data module shared with the fixture generator, no types.
import { cases as untyped } from '../fixtures/rerecorded/cases.mjs';

const cases = untyped as { id: string; expect: 'same' | 'volatile' | 'changed' }[];
const ISSUE_12 = ['XID', 'JSON_SPACING', 'CURL_TRACE', 'CURL_INTERLEAVE', 'ENVOY_TIME', 'SPLIT_TALLY', 'LOG_TIME', 'TIME_TAKEN', 'CTIME', 'VERSION', 'SHOW_HEADERS', 'HTTP_HEADERS', 'SERVER_LIST'];

function verdicts(group: 'volatile' | 'changed'): string[] {
  const plan = (side: string) => {
    const file = `test/fixtures/rerecorded/${group}-${side}.ipynb`;
    return parseRunbook(file, readFileSync(file, 'utf8'));
  };
  const [old, next] = [plan('old'), plan('new')];
  return old.steps.map((s, k) => judgeRerun(s, next.steps[k]!.expected?.text ?? '', { splits: [] }).verdict);
}

describe('issue 12 measured on test/fixtures/rerecorded', () => {
  it('volatile-only re-runs rejected, and real changes accepted, before and after', () => {
    const rerunsWanted = cases.filter((c) => c.expect !== 'changed');
    const changes = cases.filter((c) => c.expect === 'changed');
    const before = { reruns: withoutRules(ISSUE_12, () => verdicts('volatile')), changes: withoutRules(ISSUE_12, () => verdicts('changed')) };
    const after = { reruns: verdicts('volatile'), changes: verdicts('changed') };
    const rejected = (v: string[]) => v.filter((x) => x === 'changed').length;
    const accepted = (v: string[]) => v.filter((x) => x !== 'changed').length;
    const pct = (n: number, d: number) => `${n}/${d} (${Math.round((100 * n) / d)}%)`;
    console.log(
      [
        `volatile-only re-runs rejected: before ${pct(rejected(before.reruns), rerunsWanted.length)}, after ${pct(rejected(after.reruns), rerunsWanted.length)}`,
        `real changes accepted: before ${pct(accepted(before.changes), changes.length)}, after ${pct(accepted(after.changes), changes.length)}`,
      ].join('\n'),
    );
    expect(rejected(after.reruns)).toBe(0);
    // Every real change is caught (a lost side of a split too, by the seldon matcher's chi-square).
    expect(changes.filter((_, k) => after.changes[k] !== 'changed').map((c) => c.id)).toEqual([]);
    expect(rejected(before.reruns)).toBeGreaterThan(0);
  });
});
