/**
 * The merge behind --update keeps every recorded line that still matches: lines the kind never compares (curl's
 * `*` lines, which curl 7.88 prints fewer of) and, in a changed JSON line, the values that only differ in volatile
 * parts. Only what really differs is rewritten.
 */
import { describe, expect, it } from 'vitest';
import { mergeForStep } from '../../src/update/merge.js';
import { refineJsonLine } from '../../src/update/refine.js';
import { splitLines } from '../../src/core/text.js';
import { step } from '../match/seed.js';

const asText = (recorded: string, actual: string) => {
  const s = step(4);
  const raw = splitLines(recorded);
  return mergeForStep({ ...s, expected: { ...s.expected!, text: recorded } }, recorded, actual)
    .map((m) => (m.kind === 'keep' ? raw[m.index]! : m.text))
    .join('\n');
};

describe('--update merge', () => {
  it('keeps a curl * line the new curl does not print, and the recorded id of a changed body', () => {
    const recorded = step(4).expected!.text;
    expect(recorded).toContain('* upload completely sent off');
    const actual = recorded
      .replace(/\* upload completely sent off.*\n/, '')
      .replace('User-Agent: curl/7.47.0', 'User-Agent: curl/7.88.1')
      .replace(/"id":"[^"]+"/, '"id":"11111111-2222-3333-4444-555555555555"')
      .replace('"data":[2]', '"data":[1]');
    expect(asText(recorded, actual)).toBe(recorded.replace('"data":[2]', '"data":[1]'));
  });

  it('leaves out a response header the run added and the curl matcher does not ask for; a shell step gets its new line', () => {
    const recorded = step(4).expected!.text;
    expect(recorded).toContain('< seldon-route: iris_1\n');
    const actual = recorded.replace('< seldon-route: iris_1\n', '< seldon-route: iris_1\n< x-seldon-route: :iris_1:\n').replace('"data":[2]', '"data":[1]');
    expect(asText(recorded, actual)).toBe(recorded.replace('"data":[2]', '"data":[1]'));

    const shell = { ...step(4), kind: 'shell' as const, args: { script: 'cat log' }, expected: { ...step(4).expected!, text: 'one\ntwo' } };
    const merged = mergeForStep(shell, 'one\ntwo', 'one\nextra\ntwo').map((m) => (m.kind === 'keep' ? ['one', 'two'][m.index] : m.text));
    expect(merged).toEqual(['one', 'extra', 'two']);
  });

  it('rewrites only the JSON values that differ, in the recorded layout', () => {
    expect(refineJsonLine('{"id": "2024-01-01T00:00:00Z", "n": 1, "s": [1, 2]}', '{"id":"2025-06-01T10:00:00Z","n":2,"s":[1,2,3]}')).toBe(
      '{"id": "2024-01-01T00:00:00Z", "n": 2, "s": [1,2,3]}',
    );
    expect(refineJsonLine('not json', '{"a":1}')).toBeUndefined();
  });
});
