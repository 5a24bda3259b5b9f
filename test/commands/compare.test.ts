import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run-cli.js';
// @ts-expect-error -- a plain .mjs data module shared with the fixture generator, no types.
import { cases as untyped } from '../fixtures/rerecorded/cases.mjs';

interface Case {
  id: string;
  cause: string;
  command: string;
  old: string[];
  new: string[];
  expect: 'same' | 'volatile' | 'changed';
}
const cases = untyped as Case[];
const corpus = 'test/fixtures/rerecorded';
const dir = mkdtempSync(join(tmpdir(), 'runbook-compare-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  summary: { cells: number; same: number; volatile: number; changed: number };
  cells: { verdict: string; pairing: string; kind: string; command: string; rules?: string[]; diff?: string; new: { line: number } | null; old: { line: number } | null }[];
}
const json = async (a: string, b: string) => {
  const r = await runCli(['compare', a, b, '--json']);
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as Report };
};

describe('runbook compare on the re-recorded corpus', () => {
  for (const group of ['volatile', 'changed'] as const) {
    const chosen = cases.filter((c) => (c.expect === 'changed') === (group === 'changed'));
    it(`${group}: one cell per case, paired in order, each judged as expected`, async () => {
      const { code, stderr, report } = await json(`${corpus}/${group}-old.ipynb`, `${corpus}/${group}-new.ipynb`);
      expect(stderr).toBe('');
      expect(report.cells).toHaveLength(chosen.length);
      const got = chosen.map((c, k) => [c.id, report.cells[k]!.verdict]);
      const want = chosen.map((c) => [c.id, c.expect]);
      expect(got).toEqual(want);
      expect(code).toBe(group === 'changed' ? 1 : 0);
    });
  }

  it('a lost side of a traffic split is a change', async () => {
    const { report } = await json(`${corpus}/changed-old.ipynb`, `${corpus}/changed-new.ipynb`);
    const k = cases.filter((c) => c.expect === 'changed').findIndex((c) => c.id === 'split-side-lost');
    expect(report.cells[k]!.verdict).toBe('changed');
  });

  it('names the rules each volatile-only cell needed', async () => {
    const { report } = await json(`${corpus}/volatile-old.ipynb`, `${corpus}/volatile-new.ipynb`);
    const rules = Object.fromEntries(cases.filter((c) => c.expect !== 'changed').map((c, k) => [c.id, report.cells[k]!.rules]));
    expect(rules['protojson-spaces']).toEqual(['JSON_SPACING']);
    expect(rules['split-tally']).toEqual(['SPLIT_TALLY']);
    expect(rules['helm-ctime']).toEqual(['CTIME']);
    expect(rules['python-logging']).toEqual(['LOG_TIME', 'TIME_TAKEN']);
    expect(rules['server-list-order']).toEqual(['SERVER_LIST']);
    expect(rules['curl-internals']).toEqual(expect.arrayContaining(['CURL_TRACE']));
    expect(rules['curl-interleaving']).toEqual(expect.arrayContaining(['CURL_INTERLEAVE']));
    expect(rules['envoy-time-show-headers']).toEqual(expect.arrayContaining(['SHOW_HEADERS']));
    expect(rules['curl-i-header-order']).toEqual(expect.arrayContaining(['HTTP_HEADERS']));
  });

  it('prints per cell: same, volatile-only with the rules, changed with the diff; and a summary', async () => {
    const r = await runCli(['compare', `${corpus}/changed-old.ipynb`, `${corpus}/changed-new.ipynb`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}1 {2}changed +curl +line 3 +curl -v /m);
    expect(r.stdout).toContain('       body.outputs[0].data[0]: expected 2, got 1\n');
    expect(r.stdout).toContain('       -Response header Seldon-Model:[iris]\n       +Response header Seldon-Model:[iris2]\n');
    expect(r.stdout).toMatch(/\n11 cells: 0 same, 0 volatile-only, 11 changed\n$/);
    const v = await runCli(['compare', `${corpus}/volatile-old.ipynb`, `${corpus}/volatile-new.ipynb`]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^ {2}7 {2}volatile-only +seldon +line \d+ +seldon model infer iris -i 100 .*\n {7}rules: SPLIT_TALLY$/m);
    expect(v.stdout).toMatch(/^ {2}8 {2}same +curl /m);
  });
});

describe('runbook compare pairs cells by position and source', () => {
  const nb = (cells: [string, string][]) =>
    JSON.stringify({
      cells: cells.map(([source, out]) => ({ cell_type: 'code', execution_count: 1, metadata: {}, outputs: out ? [{ name: 'stdout', output_type: 'stream', text: [out] }] : [], source: [source] })),
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('a cell inserted, one removed, one whose source changed', async () => {
    const a = write('a.ipynb', nb([['!echo one', 'one\n'], ['!echo two', 'two\n'], ['!echo three', 'three\n'], ['!echo gone', 'gone\n']]));
    const b = write('b.ipynb', nb([['!echo one', 'one\n'], ['!echo new', 'new\n'], ['!echo two', 'two\n'], ['!echo THREE', 'THREE\n']]));
    const { code, report } = await json(a, b);
    expect(report.cells.map((c) => [c.pairing, c.verdict, c.command])).toEqual([
      ['same-source', 'same', '!echo one'.slice(1)],
      ['added', 'changed', 'echo new'],
      ['same-source', 'same', 'echo two'],
      ['source-changed', 'changed', 'echo THREE'],
      ['removed', 'changed', 'echo gone'],
    ]);
    expect(code).toBe(1);
  });

  it('an output that appeared or disappeared is a change', async () => {
    const a = write('c.ipynb', nb([['!echo one', ''], ['!echo two', 'two\n']]));
    const b = write('d.ipynb', nb([['!echo one', 'one\n'], ['!echo two', '']]));
    const { report } = await json(a, b);
    expect(report.cells.map((c) => c.verdict)).toEqual(['changed', 'changed']);
  });

  it('a notebook against its own Markdown conversion: every cell the same', async () => {
    const md = await runCli(['convert', 'test/fixtures/seed-istio.ipynb']);
    const p = write('seed-istio.md', md.stdout);
    const { code, report } = await json('test/fixtures/seed-istio.ipynb', p);
    expect(report.summary.changed).toBe(0);
    expect(report.summary.same).toBe(report.summary.cells);
    expect(code).toBe(0);
  });

  it('bad input: exit 2 and one line naming the file', async () => {
    const r = await runCli(['compare', join(dir, 'missing.ipynb'), 'test/fixtures/seed-istio.ipynb']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^runbook: .*missing\.ipynb/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const broken = write('broken.ipynb', '{"cells": [');
    const b = await runCli(['compare', broken, 'test/fixtures/seed-istio.ipynb']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/broken\.ipynb:\d+:\d+/);
  });

  it('the fixtures are what make.mjs writes from cases.mjs', () => {
    // A case edited without re-running make.mjs would test stale notebooks.
    const nbCells = (JSON.parse(readFileSync(`${corpus}/volatile-old.ipynb`, 'utf8')) as { cells: { id: string }[] }).cells.map((c) => c.id);
    expect(nbCells).toEqual(cases.filter((c) => c.expect !== 'changed').map((c) => c.id));
  });
});
