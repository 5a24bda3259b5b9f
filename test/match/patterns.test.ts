import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareText, compareExact } from '../../src/match/text.js';
import { hasPattern } from '../../src/match/patterns.js';
import { formatDiff, matchStep } from '../../src/match/index.js';
import type { Step, StepKind } from '../../src/core/model.js';
import type { StepOutput } from '../../src/core/step.js';
import { seedPlan } from './seed.js';

const ok = (expected: string, actual: string) => compareText(expected, actual).ok;

describe('author patterns', () => {
  it('[..] matches any run of characters within one line', () => {
    expect(ok('pod/iris-[..] condition met', 'pod/iris-0 condition met')).toBe(true);
    expect(ok('a [..] c', 'a  c')).toBe(true);
    expect(ok('a [..] c', 'a b\nc')).toBe(false);
    expect(ok('prefix [..]', 'other b')).toBe(false);
  });

  it('... alone on a line matches any number of lines, zero included', () => {
    expect(ok('start\n...\nend', 'start\nend')).toBe(true);
    expect(ok('start\n...\nend', 'start\n1\n2\n3\nend')).toBe(true);
    expect(ok('start\n...\nend', 'start\n1\n2\n3')).toBe(false);
    expect(ok('...', 'anything\nat all')).toBe(true);
    expect(ok('  ...  ', 'x')).toBe(true);
  });

  it('a line ending in (re) is a regular expression over the whole line', () => {
    expect(ok('model.mlops.seldon.io/iris[0-9] created (re)', 'model.mlops.seldon.io/iris7 created')).toBe(true);
    expect(ok('model.mlops.seldon.io/iris[0-9] created (re)', 'model.mlops.seldon.io/iris77 created')).toBe(false);
    // It sees the raw line, so it may pin what normalisation would have hidden.
    expect(ok('Trying 10\\.0\\.0\\.\\d+ (re)', 'Trying 10.0.0.7')).toBe(true);
    expect(ok('Trying 10\\.0\\.0\\.\\d+ (re)', 'Trying 192.168.0.7')).toBe(false);
    // An invalid regex is taken literally instead of crashing.
    expect(ok('a( (re)', 'a(')).toBe(false);
    expect(ok('a( (re)', 'a( (re)')).toBe(true);
  });

  it('named placeholders accept their kind of value, raw or normalised', () => {
    expect(ok('took [NUMBER] ms', 'took 12.5 ms')).toBe(true);
    expect(ok('took [NUMBER] ms', 'took many ms')).toBe(false);
    expect(ok('"id": "[UUID]"', '"id": "83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5"')).toBe(true);
    expect(ok('host [IP]', 'host 10.1.2.3')).toBe(true);
    expect(ok('host [IP]', 'host [2001:db8::1]')).toBe(true);
    // A hex word is not an address: `[IP]` once took `ab` and `cafe` (found by volatile-properties, seed 872444854).
    expect(ok('host [IP]', 'host cafe')).toBe(false);
    expect(ok('host [IP]', 'host a')).toBe(false);
    expect(ok('host [IP]', 'host 10.1.2')).toBe(false);
    expect(ok('at [DATE]', 'at 2022-04-16T15:34:11Z')).toBe(true);
    expect(ok('sha [HEX]', 'sha 9f86d08')).toBe(true);
    expect(ok('sha [HEX]', 'sha xyz')).toBe(false);
    // Unknown names are plain text.
    expect(ok('[FOO]', 'bar')).toBe(false);
    expect(hasPattern('[FOO] [1]')).toBe(false);
    expect(hasPattern('x [..]')).toBe(true);
  });

  it('normalised values never differ: a new address, id and age pass', () => {
    expect(ok('iris-7d9f8c6b5-x2x9k 1/1 Running 5s 10.0.0.5', 'iris-5c8b7d9f4-q7w2z 1/1 Running 3m2s 10.0.0.9')).toBe(true);
    expect(ok('iris 1/1 Running', 'iris 0/1 Running')).toBe(false);
  });
});

describe('modes', () => {
  const step = (expect: 'exact' | 'contains' | 'ignore', text: string): Step => ({
    ...seedPlan().steps[3]!,
    options: { expect },
    expected: { text, location: { format: 'markdown', startLine: 1, endLine: 1, style: 'indented', indent: '    ' } },
  });
  const out = (stdout: string): StepOutput => ({ stdout, stderr: '', exitCode: 0 });

  it('contains: recorded lines appear in order, others may come between', () => {
    expect(matchStep(step('contains', 'b\nd'), out('a\nb\nc\nd\ne\n'), { splits: [] }).ok).toBe(true);
    const r = matchStep(step('contains', 'd\nb'), out('a\nb\nc\nd\n'), { splits: [] });
    expect(r.ok).toBe(false);
    expect(formatDiff(r.diff!, { color: false })).toMatch(/^-[bd]$/m);
  });

  it('exact: no normalisation beyond line endings', () => {
    expect(matchStep(step('exact', 'at 10.0.0.1'), out('at 10.0.0.1\r\n'), { splits: [] }).ok).toBe(true);
    expect(matchStep(step('exact', 'at 10.0.0.1'), out('at 10.0.0.2\n'), { splits: [] }).ok).toBe(false);
    expect(compareExact('a ', 'a').ok).toBe(false);
  });

  it('ignore: always matches', () => {
    expect(matchStep(step('ignore', 'x'), out('completely different'), { splits: [] }).ok).toBe(true);
  });
});

describe('text diffs', () => {
  it('show only the real change, with patterns and volatile values folded away', () => {
    const expected = 'id 83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5\nname [..]\n...\nresult 2\ntail';
    const actual = 'id 0f3c2a1b-9999-4abc-8def-0123456789ab\nname iris\nx\ny\nresult 1\ntail';
    const r = compareText(expected, actual);
    expect(r.ok).toBe(false);
    const lines = formatDiff(r.diff!, { color: false }).split('\n');
    expect(lines.filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-result 2', '+result 1']);
  });

  it('pair a changed line next to a ... with its new version', () => {
    const r = compareText('head\n...\nresult 2', 'head\nx\nresult 1');
    const lines = formatDiff(r.diff!, { color: false }).split('\n');
    expect(lines.filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-result 2', '+result 1']);
  });

  it('highlight the changed words on colour', () => {
    const r = compareText('a quick fox', 'a slow fox');
    const coloured = formatDiff(r.diff!, { color: true });
    expect(coloured).toContain('\x1b[7mquick');
    expect(coloured).toContain('\x1b[7mslow');
    expect(formatDiff(r.diff!, { color: false })).not.toContain('\x1b');
  });
});

// A text of plausible output lines, including the characters patterns and normalisers react to.
const line = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('...', 'x [..] y', 'a+ (re)', '{"id":"83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5"}', '* Trying 1.2.3.4...', '< HTTP/1.1 200 OK',
    '> POST / HTTP/1.1', 'model.mlops.seldon.io/iris created', 'pod "x" deleted', 'pod/x condition met', 'ERROR:', '  Code: Unavailable',
    '  Message: down', "'10.0.0.1'", 'kind: Model', 'metadata:', '  name: iris', '---', '[1, 2]', '{"a": [1]}'),
);
const text = fc.array(line, { maxLength: 12 }).map((l) => l.join('\n'));

describe('every kind matches a text with itself', () => {
  const plan = seedPlan();
  const firstOf = (kind: StepKind) => plan.steps.find((s) => s.kind === kind) ?? { ...plan.steps[3]!, kind: 'shell' as const, args: { script: 'true' } };
  it.each(['build', 'apply', 'wait', 'delete', 'curl', 'grpcurl', 'capture', 'shell'] as const)('%s', (kind) => {
    const base = firstOf(kind);
    fc.assert(
      fc.property(text, (t) => {
        const s = { ...base, expected: { ...base.expected!, text: t } } as Step;
        const r = matchStep(s, { stdout: t, stderr: '', exitCode: 0 }, { splits: [] });
        expect(r.diff ? formatDiff(r.diff, { color: false }) : '').toBe('');
        expect(r.ok).toBe(true);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 300) },
    );
  });
});
