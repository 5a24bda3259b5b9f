import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { readNotebook } from '../../src/parse/notebook.js';
import { notebookToMarkdown } from '../../src/parse/notebook-markdown.js';
import { planShape, failure as failsWith } from './plan-shape.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const seedMd = fixture('seed-istio.md');
const seedNb = fixture('seed-istio.ipynb');

const failure = (text: string | Buffer, file = 'bad.ipynb') => failsWith(text, file);

function notebook(cells: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells, ...extra }, null, 1);
}

const code = (source: string | string[], outputs: unknown[] = [], tags?: string[]) => ({
  cell_type: 'code',
  metadata: tags ? { tags } : {},
  source,
  outputs,
  execution_count: null,
});
const stdout = (text: string | string[]) => ({ output_type: 'stream', name: 'stdout', text });

describe('.ipynb', () => {
  const plan = parseRunbook('istio.ipynb', seedNb);

  it('gives the same plan as its nbconvert Markdown export', () => {
    expect(plan.format).toBe('ipynb');
    expect(planShape(plan)).toEqual(planShape(parseRunbook('istio.md', seedMd)));
  });

  it('gives the same plan after convert', () => {
    const converted = notebookToMarkdown(readNotebook('istio.ipynb', seedNb));
    expect(planShape(parseRunbook('istio.md', converted))).toEqual(planShape(plan));
  });

  it('points each step at its cell: the line of the cell in the JSON, and the cell index', () => {
    const lines = seedNb.split('\n');
    for (const step of plan.steps) {
      expect(lines[step.line - 1]!.trim()).toBe('{');
      expect(lines[step.line]).toContain('"cell_type": "code"');
    }
    expect(plan.steps.map((s) => s.expected!.location)).toEqual(
      [1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15].map((cell) => ({ format: 'ipynb', cell })),
    );
  });

  it('maps runbook- tags to step options and ignores other tags', () => {
    const text = notebook([code('!a', [], ['runbook-skip', 'runbook-timeout=60s', 'runbook-expect=ignore', 'runbook-read-only', 'runbook-retry-budget=2m', 'runbook-strict-outcome', 'hide-input'])]);
    expect(parseRunbook('a.ipynb', text).steps[0]!.options).toEqual({ skip: true, timeoutMs: 60_000, expect: 'ignore', readOnly: true, retryBudgetMs: 120_000, strictOutcome: true });
  });

  it('joins stdout streams and text/plain results, and ignores stderr', () => {
    const text = notebook([
      code(['!echo a\n', '!echo b'], [stdout(['a\n']), { output_type: 'stream', name: 'stderr', text: 'warn\n' }, stdout('b'), { output_type: 'execute_result', data: { 'text/plain': "'x'" }, metadata: {} }]),
    ]);
    const steps = parseRunbook('a.ipynb', text).steps;
    expect(steps.map((s) => [s.command, s.expected?.text])).toEqual([
      ['echo a', undefined],
      ['echo b', "a\nb\n'x'"],
    ]);
  });

  it('leaves out outputs that nbconvert shows as HTML or images', () => {
    const text = notebook([
      code('df', [{ output_type: 'execute_result', metadata: {}, data: { 'text/html': '<table/>', 'text/plain': '   a\n0  1' } }]),
      code('!echo', [{ output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBO', 'text/plain': '<Figure>' } }, stdout('x\n')]),
    ]);
    expect(parseRunbook('a.ipynb', text).steps.map((s) => s.expected?.text)).toEqual([undefined, 'x']);
  });

  it('reads settings from metadata.runbook', () => {
    const text = notebook([], { metadata: { runbook: { title: 'T', timeout: '90s' } } });
    expect(parseRunbook('a.ipynb', text).frontMatter).toEqual({ title: 'T', timeoutMs: 90_000 });
  });

  it('reads a bash kernel\'s cells as shell commands', () => {
    const text = notebook([code(['kubectl apply -k config/a\n', 'kubectl wait --for condition=ready model --all'], [stdout('model.mlops.seldon.io/iris condition met\n')])], {
      metadata: { kernelspec: { name: 'bash', display_name: 'Bash', language: 'bash' }, language_info: { name: 'bash' } },
    });
    const plan = parseRunbook('a.ipynb', text);
    expect(plan.steps.map((s) => [s.kind, s.command, s.expected?.text])).toEqual([
      ['apply', 'kubectl apply -k config/a', undefined],
      ['wait', 'kubectl wait --for condition=ready model --all', 'model.mlops.seldon.io/iris condition met'],
    ]);
    const markdown = notebookToMarkdown(readNotebook('a.ipynb', text));
    expect(markdown).toBe('```bash\nkubectl apply -k config/a\nkubectl wait --for condition=ready model --all\n```\n\n    model.mlops.seldon.io/iris condition met\n');
    expect(planShape(parseRunbook('a.md', markdown))).toEqual(planShape(plan));
  });

  it('applies a directive ending a markdown cell to the next code cell, as the Markdown export does', () => {
    const md = (source: string) => ({ cell_type: 'markdown', metadata: {}, source });
    const text = notebook([md('Slow:\n<!-- runbook: timeout=5m -->'), code('!a', [], ['runbook-expect=ignore']), code('!b')]);
    const plan = parseRunbook('a.ipynb', text);
    expect(plan.steps.map((s) => s.options)).toEqual([{ timeoutMs: 300_000, expect: 'ignore' }, {}]);
    expect(plan.steps[0]!.prose).toBe('Slow:');
    expect(planShape(parseRunbook('a.md', notebookToMarkdown(readNotebook('a.ipynb', text))))).toEqual(planShape(plan));
    expect(() => parseRunbook('a.ipynb', notebook([md('<!-- runbook: skip -->'), md('text'), code('!a')]))).toThrow(/runbook directive is not followed by a code cell/);
    expect(() => parseRunbook('a.ipynb', notebook([md('```\n<!-- runbook: skip -->\n```'), code('!a')])).steps).not.toThrow();
  });

  it('converts a notebook starting with a thematic break without inventing front matter', () => {
    const text = notebook([{ cell_type: 'markdown', metadata: {}, source: '---\ntitle: not settings\n' }, code('!a')]);
    const markdown = notebookToMarkdown(readNotebook('a.ipynb', text));
    expect(planShape(parseRunbook('a.md', markdown))).toEqual(planShape(parseRunbook('a.ipynb', text)));
  });

  it('is chosen by content when the name does not say', () => {
    expect(parseRunbook('notebook.json', notebook([code('!a')])).format).toBe('ipynb');
  });
});

describe('bad notebooks', () => {
  it('gives the position of a JSON syntax error', () => {
    expect(failure('{\n "nbformat": 4,\n "cells": [}\n')).toMatch(/^bad\.ipynb:3:12: not a notebook: invalid JSON/);
    expect(failure('{\n "nbformat": 4,')).toMatch(/^bad\.ipynb:2:\d+: not a notebook: invalid JSON/);
  });

  it('rejects other nbformat versions and non-notebooks', () => {
    expect(failure('{\n  "nbformat": 3,\n  "worksheets": []\n}')).toBe('bad.ipynb:2:3: not an nbformat 4 notebook (nbformat 3); convert it with: jupyter nbconvert --to notebook');
    expect(failure('[1, 2]')).toBe('bad.ipynb:1:1: not a notebook: expected a JSON object with nbformat and cells');
    expect(failure('{"nbformat": 4, "cells": {}}')).toBe('bad.ipynb:1:17: not a notebook: "cells" must be a list');
  });

  it('names the cell and the line of a cell with wrong types', () => {
    const text = notebook([code('!a'), { cell_type: 'code', source: 5, metadata: {}, outputs: [] }]);
    const line = text.split('\n').findIndex((l, i, all) => l.trim() === '{' && all[i + 1]!.includes('"cell_type"') && i > 10) + 1;
    expect(failure(text)).toBe(`bad.ipynb:${line}:3: cell 1: source must be a string or a list of strings`);
    expect(failure(notebook([{ cell_type: 'heading', source: '' }]))).toMatch(/cell 0: cell_type must be "markdown", "code" or "raw", not "heading"/);
    expect(failure(notebook([code('!a', [{ output_type: 'stream', name: 'stdout', text: 3 }])]))).toMatch(/cell 0: outputs\[0\]\.text must be a string/);
    expect(failure(notebook([code('!a', [], ['runbook-timeout=soon'])]))).toMatch(/cell 0: tag 'runbook-timeout=soon': bad timeout: 'soon'/);
    expect(failure(notebook([code('!a', [], ['runbook-sikp'])]))).toMatch(/cell 0: tag 'runbook-sikp': unknown runbook option 'sikp'/);
    expect(failure(notebook([code('!a\\')]))).toMatch(/^bad\.ipynb:\d+:3: broken continuation/);
  });
});
