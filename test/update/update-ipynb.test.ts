import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/core/model.js';
import { applyUpdates } from '../../src/update/index.js';
import { parseRunbook } from '../../src/parse/index.js';
import { needs } from '../tools.js';

// Written by Python: json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", as nbformat does.
const fixture = readFileSync(fileURLToPath(new URL('./fixtures/istio.ipynb', import.meta.url)), 'utf8');
const plan = (text = fixture) => parseRunbook('istio.ipynb', text);

interface Cell {
  cell_type: string;
  outputs?: unknown[];
  source: string[] | string;
  [key: string]: unknown;
}
interface Nb {
  cells: Cell[];
  [key: string]: unknown;
}

/** The one stretch of `before` that differs from `after`: [start, end) in `before`, and its replacement. */
function changed(before: string, after: string): { start: number; end: number; inserted: string } {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, inserted: after.slice(start, after.length - tail) };
}

/** Where a cell's outputs are in the text, by jsonc-parser's own tree. */
function outputsSpan(text: string, cell: number): { start: number; end: number } {
  const node = findNodeAtLocation(parseTree(text)!, ['cells', cell, 'outputs'])!;
  return { start: node.offset, end: node.offset + node.length };
}

const cellOf = (step: Step) => (step.expected!.location as { cell: number }).cell;

describe('applyUpdates on .ipynb', () => {
  it('changes no byte when the outputs are the recorded ones', () => {
    const p = plan();
    const updates = p.steps.map((step) => ({ step, actual: step.expected!.text }));
    expect(applyUpdates('istio.ipynb', Buffer.from(fixture), updates)).toBe(fixture);
  });

  it("changes only the drifted line of the drifted cell's outputs", () => {
    const p = plan();
    const curl = p.steps[4]!;
    const actual = curl.expected!.text.replace('"data":[2]', '"data":[1]');
    const next = applyUpdates('istio.ipynb', fixture, [{ step: curl, actual }]);
    // One string of the output's list of lines changed, inside that cell's outputs; every other byte is the same.
    const diff = changed(fixture, next);
    const outputs = outputsSpan(fixture, cellOf(curl));
    expect(diff.start).toBeGreaterThan(outputs.start);
    expect(diff.end).toBeLessThan(outputs.end);
    expect(fixture.slice(diff.start, diff.end)).toBe('2');
    expect(diff.inserted).toBe('1');
    // And the notebook still parses into the same steps, now recording the new output.
    const again = plan(next);
    expect(again.steps[4]!.expected!.text).toBe(actual);
    expect(again.steps.map((s) => s.command)).toEqual(p.steps.map((s) => s.command));
  });

  it("writes a longer output's lines as nbformat does, in place of the old list", () => {
    const p = plan();
    const curl = p.steps[4]!;
    const actual = `${curl.expected!.text}\nanother line`;
    const next = applyUpdates('istio.ipynb', fixture, [{ step: curl, actual }]);
    const before = JSON.parse(fixture) as Nb;
    before.cells[cellOf(curl)]!.outputs = [{ name: 'stdout', output_type: 'stream', text: actual.split('\n').map((l) => `${l}\n`) }];
    // nbformat's writer is json.dumps(sort_keys=True, indent=1) plus a newline; JSON.stringify(…, 1) agrees on this notebook but for two numbers.
    expect(next).toBe(`${JSON.stringify(before, null, 1)}\n`.replace('"ratio": 1', '"ratio": 1.0').replace('"small": 0.00001', '"small": 1e-05'));
    const diff = changed(fixture, next);
    const outputs = outputsSpan(fixture, cellOf(curl));
    expect([diff.start >= outputs.start, diff.end <= outputs.end]).toEqual([true, true]);
  });

  it('keeps a displayed value an execute_result', () => {
    const p = plan();
    const capture = p.steps[0]!;
    const next = applyUpdates('istio.ipynb', fixture, [{ step: capture, actual: "'a1b2.elb.amazonaws.com'" }]);
    const cell = (JSON.parse(next) as Nb).cells[1]!;
    expect(cell.outputs).toEqual([
      { data: { 'text/plain': ["'a1b2.elb.amazonaws.com'"] }, execution_count: 1, metadata: {}, output_type: 'execute_result' },
    ]);
    expect(next).toBe(fixture.replace('"\'172.21.255.1\'"', '"\'a1b2.elb.amazonaws.com\'"'));
    expect(plan(next).steps[0]!.expected!.text).toBe("'a1b2.elb.amazonaws.com'");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The same updates on the same notebook written in several layouts: the result must be exactly the updated
// notebook written in that layout, so only the changed outputs differ and they look like the rest of the file.

/** The fixture with the shapes an update must replace or insert: two streams in one cell, a cell without outputs. */
function shapes(): Nb {
  const nb = JSON.parse(fixture) as Nb;
  const wait = nb.cells[12]!;
  wait.outputs = [{ name: 'stderr', output_type: 'stream', text: ['Warning: slow\n'] }, ...(wait.outputs ?? [])];
  const last = nb.cells[16]!;
  last.source = ['!kubectl apply -f extra.yaml'];
  delete last.outputs;
  return nb;
}

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
const reverseKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(reverseKeys) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().reverse().map((k) => [k, reverseKeys((v as Record<string, unknown>)[k])])) : v;

/** Python's json.dumps with these keyword arguments, from the real python3. */
function python(nb: unknown, kwargs: Record<string, unknown>): string {
  const script = 'import json, sys; sys.stdout.write(json.dumps(json.load(sys.stdin), **json.loads(sys.argv[1])))';
  const child = spawnSync('python3', ['-c', script, JSON.stringify(kwargs)], { input: JSON.stringify(nb), encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`python3 failed: ${child.stderr}`);
  return child.stdout;
}

type Layout = [name: string, write: (nb: unknown) => string, sortedKeys: boolean];
const jsLayouts: Layout[] = [
  ['two spaces', (nb) => `${JSON.stringify(sortKeys(nb), null, 2)}\n`, true],
  ['tabs and CRLF, no final newline', (nb) => JSON.stringify(sortKeys(nb), null, '\t').replace(/\n/g, '\r\n'), true],
  ['minified', (nb) => JSON.stringify(sortKeys(nb)), true],
  ['one space, keys in reverse order', (nb) => `${JSON.stringify(reverseKeys(nb), null, 1)}\n`, false],
];
const pythonLayouts: Layout[] = [
  ['nbformat', (nb) => `${python(nb, { sort_keys: true, indent: 1, ensure_ascii: false })}\n`, true],
  ['nbformat with ASCII escapes', (nb) => `${python(nb, { sort_keys: true, indent: 1 })}\n`, true],
  ['Python on one line', (nb) => python(nb, { sort_keys: true }), true],
  ['four spaces, CRLF', (nb) => `${python(nb, { sort_keys: true, indent: 4, ensure_ascii: false }).replace(/\n/g, '\r\n')}\r\n`, true],
];

interface Case {
  name: string;
  /** Changes the keys of existing objects or adds new objects (then only layouts with sorted keys can be compared). */
  reshapes: boolean;
  /** The step and its actual output, found in the plan of the written notebook. */
  update: (steps: Step[]) => { step: Step; actual: string };
  /** What the update must do to the notebook. */
  expect: (nb: Nb) => void;
}

const stream = (text: string) => [{ name: 'stdout', output_type: 'stream', text: text.split('\n').map((l) => `${l}\n`) }];
const curlActual = (step: Step) => step.expected!.text.replace('"data":[2]', '"data":["ü ✓"]');

const cases: Case[] = [
  {
    name: 'one line of a stream (with non-ASCII)',
    reshapes: false,
    update: (steps) => ({ step: steps[4]!, actual: curlActual(steps[4]!) }),
    expect: (nb) => {
      const cell = nb.cells[6]!;
      cell.outputs = stream(curlActual(plan().steps[4]!));
    },
  },
  {
    name: 'a stream that grew by a line',
    reshapes: false,
    update: (steps) => ({ step: steps[4]!, actual: `${steps[4]!.expected!.text}\nmore` }),
    expect: (nb) => {
      nb.cells[6]!.outputs = stream(`${plan().steps[4]!.expected!.text}\nmore`);
    },
  },
  {
    name: 'a displayed value',
    reshapes: false,
    update: (steps) => ({ step: steps[0]!, actual: "'gw.example.com'" }),
    expect: (nb) => {
      const result = nb.cells[1]!.outputs![0] as { data: Record<string, unknown> };
      result.data['text/plain'] = ["'gw.example.com'"];
    },
  },
  {
    name: 'two streams become one',
    reshapes: true,
    update: (steps) => {
      const step = steps.find((s) => s.expected?.location.format === 'ipynb' && s.expected.location.cell === 12)!;
      return { step, actual: 'model.mlops.seldon.io/iris1 condition met\nmodel.mlops.seldon.io/iris3 condition met' };
    },
    expect: (nb) => {
      nb.cells[12]!.outputs = stream('model.mlops.seldon.io/iris1 condition met\nmodel.mlops.seldon.io/iris3 condition met');
    },
  },
  {
    name: 'a cell without outputs gets them',
    reshapes: true,
    update: (steps) => ({ step: steps.find((s) => s.command.includes('extra.yaml'))!, actual: 'pod/extra created' }),
    expect: (nb) => {
      nb.cells[16]!.outputs = stream('pod/extra created');
    },
  },
];

function check(layouts: Layout[]) {
  for (const [layout, write, sortedKeys] of layouts) {
    describe(layout, () => {
      for (const c of cases.filter((k) => sortedKeys || !k.reshapes)) {
        it(c.name, () => {
          const before = shapes();
          const text = write(before);
          const steps = parseRunbook('x.ipynb', text).steps;
          const next = applyUpdates('x.ipynb', text, [c.update(steps)]);
          c.expect(before);
          expect(next).toBe(write(before));
        });
      }
      it('all at once (two of them in one cell: the later wins)', () => {
        const together = cases.filter((k) => sortedKeys || !k.reshapes);
        const before = shapes();
        const text = write(before);
        const steps = parseRunbook('x.ipynb', text).steps;
        const next = applyUpdates('x.ipynb', text, together.map((k) => k.update(steps)));
        for (const k of together) k.expect(before);
        expect(next).toBe(write(before));
      });
    });
  }
}

describe('only the changed outputs change, in the layout of the file', () => {
  check(jsLayouts);
  needs('python3').describe('as Python writes it', () => check(pythonLayouts));
});
