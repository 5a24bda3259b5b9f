import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyUpdates } from '../../src/update/index.js';
import { parseNbJson, RawNumber, stringifyNbJson } from '../../src/update/nbjson.js';
import { parseRunbook } from '../../src/parse/index.js';

// Written by Python: json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", as nbformat does.
const fixture = readFileSync(fileURLToPath(new URL('./fixtures/istio.ipynb', import.meta.url)), 'utf8');
const plan = () => parseRunbook('istio.ipynb', fixture);

interface Cell {
  cell_type: string;
  outputs?: unknown[];
  source: string[];
}

describe('nbformat JSON', () => {
  it('re-serialises a notebook nbformat wrote byte for byte (floats, exponents and non-ASCII included)', () => {
    expect(fixture).toContain('"ratio": 1.0');
    expect(fixture).toContain('"small": 1e-05');
    expect(stringifyNbJson(parseNbJson(fixture))).toBe(fixture);
  });

  it('sorts keys, indents by one space and keeps numbers as written', () => {
    const v = parseNbJson('{"b": [1.50, {}], "a": {"é": "ü\\u001b", "c": []}}');
    expect(stringifyNbJson(v)).toBe('{\n "a": {\n  "c": [],\n  "é": "ü\\u001b"\n },\n "b": [\n  1.50,\n  {}\n ]\n}\n');
    expect((v as { b: unknown[] }).b[0]).toEqual(new RawNumber('1.50'));
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseNbJson('{"a": }')).toThrow(SyntaxError);
    expect(() => parseNbJson('{"a": 1} x')).toThrow(SyntaxError);
  });
});

describe('applyUpdates on .ipynb', () => {
  it('changes no byte when the outputs are the recorded ones', () => {
    const p = plan();
    const updates = p.steps.map((step) => ({ step, actual: step.expected!.text }));
    expect(applyUpdates('istio.ipynb', Buffer.from(fixture), updates)).toBe(fixture);
  });

  it("replaces only the drifted cell's outputs with one stdout stream", () => {
    const p = plan();
    const curl = p.steps[4]!;
    const actual = curl.expected!.text.replace('"data":[2]', '"data":[1]');
    const next = applyUpdates('istio.ipynb', fixture, [{ step: curl, actual }]);
    const before = JSON.parse(fixture) as { cells: Cell[]; metadata: unknown };
    const after = JSON.parse(next) as { cells: Cell[]; metadata: unknown };
    const cell = (curl.expected!.location as { cell: number }).cell;
    expect(after.cells[cell]!.outputs).toEqual([{ name: 'stdout', output_type: 'stream', text: actual.split('\n').map((l) => `${l}\n`) }]);
    after.cells[cell]!.outputs = before.cells[cell]!.outputs;
    expect(after).toEqual(before);
    expect(next.endsWith('}\n')).toBe(true);
    expect(next).toContain('"ratio": 1.0');
    // Only the lines of that cell's outputs changed.
    const a = fixture.split('\n');
    const b = next.split('\n');
    const firstDiff = a.findIndex((l, k) => l !== b[k]);
    const lastDiffFromEnd = [...a].reverse().findIndex((l, k) => l !== [...b].reverse()[k]);
    const changedRegion = a.slice(firstDiff, a.length - lastDiffFromEnd).join('\n');
    expect(changedRegion).toContain('"data\\":[2]');
    expect(changedRegion).not.toContain('"source"');
    // And the notebook still parses into the same steps, now recording the new output.
    const again = parseRunbook('istio.ipynb', next);
    expect(again.steps[4]!.expected!.text).toBe(actual);
    expect(again.steps.map((s) => s.command)).toEqual(p.steps.map((s) => s.command));
  });

  it('keeps a displayed value an execute_result', () => {
    const p = plan();
    const capture = p.steps[0]!;
    const next = applyUpdates('istio.ipynb', fixture, [{ step: capture, actual: "'a1b2.elb.amazonaws.com'" }]);
    const cell = (JSON.parse(next) as { cells: Cell[] }).cells[1]!;
    expect(cell.outputs).toEqual([
      { data: { 'text/plain': ["'a1b2.elb.amazonaws.com'"] }, execution_count: 1, metadata: {}, output_type: 'execute_result' },
    ]);
    expect(parseRunbook('istio.ipynb', next).steps[0]!.expected!.text).toBe("'a1b2.elb.amazonaws.com'");
  });
});
