/** `convert` round trips keep cells: a multi-command cell stays one cell with its one recording. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { planShape } from '../parse/plan-shape.js';
import { ensureBuilt, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-convert-cells-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = 'test/fixtures/notebooks/cells.ipynb';

describe('convert keeps cells', () => {
  it('notebook to Markdown to notebook: the same cells and steps each way', async () => {
    const original = planShape(parseRunbook('cells.ipynb', readFileSync(fixture, 'utf8')));
    const md = join(dir, 'cells.md');
    expect((await runCli(['convert', fixture, '-o', md])).code).toBe(0);
    const fromMd = planShape(parseRunbook(md, readFileSync(md, 'utf8')));
    expect(fromMd).toEqual(original);
    const nb = join(dir, 'back.ipynb');
    expect((await runCli(['convert', md, '-o', nb])).code).toBe(0);
    const text = readFileSync(nb, 'utf8');
    expect(planShape(parseRunbook(nb, text))).toEqual(original);
    // The two-command cell is one notebook cell with both outputs in one stream.
    const cells = (JSON.parse(text) as { cells: { cell_type: string; source: string[]; outputs?: { text?: string[] }[] }[] }).cells;
    const applyWait = cells.find((c) => c.source.join('').startsWith('!kubectl apply -f iris-model.yaml'))!;
    expect(applyWait.source.join('')).toBe('!kubectl apply -f iris-model.yaml\n!kubectl wait --for condition=ready --timeout=300s model/$MODEL -n seldon-mesh');
    expect(applyWait.outputs![0]!.text!.join('')).toBe('model.mlops.seldon.io/iris created\nmodel.mlops.seldon.io/iris condition met\n');
  });
});
