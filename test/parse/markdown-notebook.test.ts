/**
 * Markdown → notebook (`runbook convert RUNBOOK.md`): the notebook gives the same plan as the Markdown,
 * so the same runbook can run in Jupyter, and converting back gives the same plan again.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { markdownToNotebook } from '../../src/parse/markdown-notebook.js';
import { notebookToMarkdown } from '../../src/parse/notebook-markdown.js';
import { readNotebook } from '../../src/parse/notebook.js';
import { planShape } from './plan-shape.js';

const roundTrip = (file: string, text: string) => {
  const json = JSON.stringify(markdownToNotebook(parseRunbook(file, text), text), null, 1);
  return { json, plan: parseRunbook(file.replace(/\.md$/, '.ipynb'), json) };
};

describe('markdownToNotebook', () => {
  it.each(['runbooks/istio.md', 'test/fixtures/seed-istio.md'])('gives the plan of %s', (file) => {
    const text = readFileSync(file, 'utf8');
    const { json, plan } = roundTrip(file, text);
    expect(planShape(plan)).toEqual(planShape(parseRunbook(file, text)));
    const back = notebookToMarkdown(readNotebook('x.ipynb', json));
    expect(planShape(parseRunbook('x.md', back))).toEqual(planShape(parseRunbook(file, text)));
  });

  it('keeps front matter, directives, console commands and fenced outputs', () => {
    const text = [
      '---',
      'title: Demo',
      'contexts: [kind-*]',
      '---',
      '# Demo',
      '',
      '<!-- runbook: timeout=10s -->',
      '```sh',
      '$ echo one',
      'one',
      '$ echo two',
      'two',
      '```',
      '',
      'Then:',
      '',
      '```bash',
      'kubectl get ns default -o jsonpath={.metadata.name}',
      '```',
      '',
      '```output',
      'default',
      '```',
      '',
    ].join('\n');
    const { json, plan } = roundTrip('demo.md', text);
    expect(planShape(plan)).toEqual(planShape(parseRunbook('demo.md', text)));
    const notebook = JSON.parse(json) as {
      metadata: { runbook: unknown };
      cells: { cell_type: string; source: string[]; metadata: { tags?: string[] } }[];
    };
    expect(notebook.metadata.runbook).toEqual({ title: 'Demo', contexts: ['kind-*'] });
    const code = notebook.cells.filter((c) => c.cell_type === 'code');
    // Each console command is its own cell (each has its own output); the fence's directive tags both.
    expect(code.map((c) => c.source.join(''))).toEqual(['!echo one', '!echo two', '!kubectl get ns default -o jsonpath={.metadata.name}']);
    expect(code.map((c) => c.metadata.tags)).toEqual([['runbook-timeout=10s'], ['runbook-timeout=10s'], undefined]);
    expect(json).not.toContain('<!-- runbook');
  });
});
