import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { planShape } from '../parse/plan-shape.js';
import { ensureBuilt, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-convert-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seedMd = readFileSync(new URL('../fixtures/seed-istio.md', import.meta.url), 'utf8');

describe('runbook convert', () => {
  it('writes the nbconvert-style Markdown of a notebook, which gives the same plan', async () => {
    const r = await runCli(['convert', 'test/fixtures/seed-istio.ipynb']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain("```python\n!kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh\n```\n\n    model.mlops.seldon.io/iris condition met\n");
    expect(r.stdout).toContain('### Istio Single Model Example');
    expect(planShape(parseRunbook('converted.md', r.stdout))).toEqual(planShape(parseRunbook('seed.md', seedMd)));
  });

  it('writes -o files whole, leaving no temporary file behind', async () => {
    const out = join(dir, 'istio.md');
    writeFileSync(out, 'old content');
    const r = await runCli(['convert', 'test/fixtures/seed-istio.ipynb', '-o', out]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const written = readFileSync(out, 'utf8');
    expect(written).toBe((await runCli(['convert', 'test/fixtures/seed-istio.ipynb'])).stdout);
    expect(readdirSync(dir)).toEqual(['istio.md']);
  });

  it('keeps step options from cell tags as directives', async () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { runbook: { title: 'T', timeout: '2m' } },
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Title\n', 'Prose.'] },
        { cell_type: 'code', metadata: { tags: ['runbook-skip', 'runbook-timeout=90s', 'runbook-expect=contains'] }, source: '!kubectl get pods', outputs: [{ output_type: 'stream', name: 'stdout', text: 'NAME\n' }] },
      ],
    };
    const file = join(dir, 'tags.ipynb');
    writeFileSync(file, JSON.stringify(nb));
    const r = await runCli(['convert', file]);
    expect(r.stdout).toBe('---\ntitle: T\ntimeout: 2m\n---\n\n\n# Title\nProse.\n\n\n<!-- runbook: skip timeout=90s expect=contains -->\n```python\n!kubectl get pods\n```\n\n    NAME\n');
    const md = parseRunbook('tags.md', r.stdout);
    expect(md.frontMatter).toEqual({ title: 'T', timeoutMs: 120_000 });
    expect(planShape(md)).toEqual(planShape(parseRunbook(file, JSON.stringify(nb))));
  });

  it('refuses bad input with exit 2 and a position', async () => {
    // Markdown converts the other way (to a notebook) but must still parse: an unclosed fence is refused.
    const unclosed = join(dir, 'unclosed.md');
    writeFileSync(unclosed, '# T\n\n```python\n!echo hi\n');
    const md = await runCli(['convert', unclosed]);
    expect(md.code).toBe(2);
    expect(md.stdout).toBe('');
    expect(md.stderr).toMatch(/^runbook: .*unclosed\.md:3:1: .*\n$/);
    const file = join(dir, 'broken.ipynb');
    writeFileSync(file, '{\n  "nbformat": 4,\n  "cells": [\n    {"cell_type": "code",}\n  ]\n}\n');
    const broken = await runCli(['convert', file]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^runbook: ${file}:4:26: not a notebook: invalid JSON \\(expected a key in double quotes, found '}'\\)\\n$`));
    const nowhere = await runCli(['convert', 'test/fixtures/seed-istio.ipynb', '-o', join(dir, 'no/such/folder/x.md')]);
    expect(nowhere).toMatchObject({ code: 2, stderr: `runbook: cannot write ${join(dir, 'no/such/folder/x.md')}: no such folder\n` });
  });

  it('refuses to convert a file onto itself, under any name, and leaves it as it was', async () => {
    const own = join(dir, 'in-place');
    mkdirSync(own);
    const md = join(own, 'x.md');
    writeFileSync(md, seedMd);
    symlinkSync(md, join(own, 'link.ipynb'));
    for (const output of [md, './x.md', 'x.md', 'link.ipynb']) {
      const r = await runCli(['convert', 'x.md', '-o', output], { cwd: own });
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `runbook: -o ${output}: is the input file x.md; converting in place would overwrite the runbook; name another file\n`,
      });
    }
    expect(readFileSync(md, 'utf8')).toBe(seedMd);
    expect(readdirSync(own).sort()).toEqual(['link.ipynb', 'x.md']);
  });

  it('checks extensions: .md converts to .ipynb and back, -o must name the other one', async () => {
    const wrong = await runCli(['convert', 'test/fixtures/seed-istio.md', '-o', join(dir, 'out.md')]);
    expect([wrong.code, wrong.stderr]).toEqual([2, `runbook: -o ${join(dir, 'out.md')}: test/fixtures/seed-istio.md converts to a notebook; expected a notebook path ending in .ipynb\n`]);
    const back = await runCli(['convert', 'test/fixtures/seed-istio.ipynb', '-o', join(dir, 'out.ipynb')]);
    expect([back.code, back.stderr]).toEqual([2, `runbook: -o ${join(dir, 'out.ipynb')}: test/fixtures/seed-istio.ipynb converts to Markdown; expected a Markdown path ending in .md\n`]);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, '# notes\n');
    const unknown = await runCli(['convert', text]);
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([2, '', `runbook: ${text}: cannot tell which way to convert; expected a Markdown runbook (.md) or a notebook (.ipynb)\n`]);
    const ok = await runCli(['convert', 'test/fixtures/seed-istio.md', '-o', join(dir, 'out.ipynb')]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(dir, 'out.ipynb'), 'utf8'))).toMatchObject({ nbformat: 4 });
  });
});
