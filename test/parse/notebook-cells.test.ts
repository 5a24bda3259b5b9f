/**
 * The cells fixture (test/fixtures/notebooks/cells.ipynb, written like Seldon's docs) and its nbconvert Markdown
 * export (made by `jupyter nbconvert --to markdown`) give the same cells and the same steps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/core/model.js';
import { parseRunbook } from '../../src/parse/index.js';
import { planShape } from './plan-shape.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/notebooks/${name}`, import.meta.url), 'utf8');
const notebook = parseRunbook('cells.ipynb', fixture('cells.ipynb'));
const exported = parseRunbook('cells.md', fixture('cells.md'));

/** Each cell as its steps' kinds, and the recording the cell holds. */
function cells(steps: readonly Step[]) {
  const out: { kinds: string[]; recorded?: string }[] = [];
  for (const step of steps) {
    const cell = step.cell!;
    if (cell.first === step.index) out.push({ kinds: [] });
    out[cell.index]!.kinds.push(step.kind);
    if (step.expected) out[cell.index]!.recorded = step.expected.text;
  }
  return out;
}

describe('the cells fixture', () => {
  it('parses as .ipynb and as its nbconvert export to the same cells and steps', () => {
    expect(planShape(exported)).toEqual(planShape(notebook));
    expect(cells(notebook.steps).map((c) => c.kinds)).toEqual([
      ['env'],
      ['capture'],
      ['writefile'],
      ['apply', 'wait'],
      ['shell'],
      ['python', 'curl'],
      ['shell'],
      ['delete'],
      ['seldon', 'seldon'],
      ['seldon', 'seldon'],
    ]);
  });

  it('gives a multi-command cell one recording, on its last step, made of both outputs', () => {
    const [apply, wait] = notebook.steps.filter((s) => s.cell?.index === 3);
    expect(apply!.expected).toBeUndefined();
    expect(wait!.expected?.text).toBe('model.mlops.seldon.io/iris created\nmodel.mlops.seldon.io/iris condition met');
    expect(wait!.expected?.location).toEqual({ format: 'ipynb', cell: 7 });
  });

  it('runs the Python of a mixed cell in the kernel and its !curl natively, in order', () => {
    const [python, curl] = notebook.steps.filter((s) => s.cell?.index === 5);
    expect(python).toMatchObject({ kind: 'python', args: { code: expect.stringMatching(/^import json\nrequest = .*\nprint\(json\.dumps\(request\["inputs"\]\[0\]\["data"\]\)\)$/) } });
    // `{MESH_IP}` is IPython's interpolation of a Python name, `{{` its escaped brace: bash text with a reference.
    expect(curl).toMatchObject({ kind: 'curl', args: { url: 'http://${MESH_IP}/v2/models/iris/infer', data: [{ value: expect.stringMatching(/^\{"inputs": \[\{"name"/) }] } });
  });

  it('reads %env, %%writefile and %%bash as IPython does', () => {
    expect(notebook.steps[0]).toMatchObject({ kind: 'env', args: { name: 'MODEL', value: 'iris' } });
    expect(notebook.steps[2]).toMatchObject({ kind: 'writefile', args: { path: 'iris-model.yaml', append: false, content: expect.stringMatching(/^apiVersion: mlops\.seldon\.io\/v1alpha1\n.* {2}- sklearn\n$/s) } });
    // nbconvert writes a %%bash cell as a ```bash fence; it is still the magic's cell.
    expect(exported.steps[5]).toMatchObject({ kind: 'shell', args: { script: 'echo "models in seldon-mesh:"\nkubectl get models -n seldon-mesh -o name' } });
  });

  it('keeps a cell with no outputs without a recording: its exit status decides', () => {
    expect(notebook.steps[8]).toMatchObject({ kind: 'shell', cell: { index: 6 } });
    expect(notebook.steps[8]!.expected).toBeUndefined();
  });
});
