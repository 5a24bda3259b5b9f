/**
 * The GitBook form of a notebook export: a ```bash fence of plain commands, then (blank lines only between) a
 * ```json, ```yaml, ```outputs or bare fence holding what they printed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { readNotebook } from '../../src/parse/notebook.js';
import { notebookToMarkdown } from '../../src/parse/notebook-markdown.js';
import { markdownToNotebook } from '../../src/parse/markdown-notebook.js';
import { planShape, textAt } from './plan-shape.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/gitbook/${name}`, import.meta.url), 'utf8');
const md = (...lines: string[]) => lines.join('\n') + '\n';
const recordings = (text: string) => parseRunbook('a.md', text).steps.map((s) => [s.command, s.expected?.text]);

describe('GitBook exports', () => {
  const text = fixture('gitbook.md');
  const plan = parseRunbook('gitbook.md', text);

  it('make each command fence a cell recorded by the fence after it', () => {
    expect(plan.steps.map((s) => [s.kind, s.command, s.cell?.index])).toEqual([
      ['shell', 'cat ./models/echo-a.yaml', 0],
      ['shell', 'cat ./models/echo-b.yaml', 0],
      ['seldon', 'seldon model load -f ./models/echo-a.yaml', 1],
      ['seldon', 'seldon model load -f ./models/echo-b.yaml', 1],
      ['shell', 'echo loaded; echo twice', 2],
    ]);
    const recorded = plan.steps.filter((s) => s.expected);
    expect(recorded.map((s) => s.index)).toEqual([1, 3, 4]);
    // The ```yaml fence is what `cat a; cat b` printed: two documents without `---`.
    expect(recorded[0]!.expected!.text.match(/^kind: Model$/gm)).toHaveLength(2);
    expect(recorded[1]!.expected!.text).toBe('{}\n{}');
    expect(recorded[2]!.expected!.text).toBe('loaded\ntwice');
    for (const step of recorded) {
      const at = step.expected!.location;
      expect(at).toMatchObject({ format: 'markdown', style: 'fence' });
      if (at.format === 'markdown') expect(textAt(text, at)).toBe(step.expected!.text);
    }
  });

  it('leave a command fence followed by prose to readers, and a manifest after prose a document', () => {
    expect(plan.steps.some((s) => s.command.includes('/no/such/folder'))).toBe(false);
    expect(text).toContain('kind: ConfigMap');
    expect(plan.steps.every((s) => !s.expected?.text.includes('ConfigMap'))).toBe(true);
  });

  it('give the plan of the same runbook with ```output fences', () => {
    expect(planShape(parseRunbook('console.md', fixture('console.md')))).toEqual(planShape(plan));
  });

  it('convert to a notebook of the same plan, each recording fence whole inside its cell', () => {
    const notebook = markdownToNotebook(plan, text) as { cells: { cell_type: string; source: string[] }[] };
    expect(notebook.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'code', 'markdown']);
    expect(notebook.cells.some((c) => c.source.join('').trim() === '```')).toBe(false);
    expect(planShape(parseRunbook('n.ipynb', JSON.stringify(notebook)))).toEqual(planShape(plan));
  });

  it('read ```outputs, ```yml, ```output and ```text fences as recordings too', () => {
    for (const lang of ['outputs', 'yml', 'output', 'text', 'json', 'yaml', '']) {
      expect(recordings(md('```sh', 'seldon model list', '```', '', '', '```' + lang, 'a: 1', '```'))).toEqual([['seldon model list', 'a: 1']]);
    }
  });

  it('keep a fence after anything but blank lines, or after another kind of cell, out of the recording', () => {
    // A heading, prose or a comment between: the yaml fence is a document shown, and the command fence no step.
    for (const between of ['## Apply it', 'Then apply this:', '<!-- a note -->', '<!-- -->']) {
      expect(recordings(md('```bash', 'kubectl get ns', '```', '', between, '', '```yaml', 'a: 1', '```'))).toEqual([]);
    }
    // A transcript holds its outputs after its prompts: a ```json after it shows a payload.
    expect(recordings(md('```console', '$ seldon model list', '```', '', '```json', '{}', '```'))).toEqual([['seldon model list', undefined]]);
    // nbconvert's Python cells keep their indented outputs; only ```output follows them.
    expect(recordings(md('```python', '!seldon model list', '```', '', '```json', '{}', '```'))).toEqual([['seldon model list', undefined]]);
    // Opted in, a fence followed by prose is a step with no recording, as before.
    expect(recordings(md('---', 'runbook: true', '---', '```bash', 'kubectl get ns', '```', 'Done.', '```yaml', 'a: 1', '```'))).toEqual([['kubectl get ns', undefined]]);
  });

  it('take an empty comment as the end of a cell, not as prose', () => {
    const opted = parseRunbook('a.md', md('---', 'runbook: true', '---', 'Intro.', '```bash', 'kubectl get ns', '```', '', '<!-- -->', '', '```yaml', 'a: 1', '```', '```bash', 'echo b', '```'));
    expect(opted.steps.map((s) => [s.command, s.expected?.text, s.prose])).toEqual([
      ['kubectl get ns', undefined, 'Intro.'],
      ['echo b', undefined, '```yaml\na: 1\n```'],
    ]);
  });

  it('keep a converted notebook’s unrecorded shell cell apart from a markdown cell that starts with a fence', () => {
    const cells = [
      { cell_type: 'code', metadata: {}, source: 'kubectl get ns', execution_count: null, outputs: [] },
      { cell_type: 'markdown', metadata: {}, source: '```yaml\na: 1\n```' },
      { cell_type: 'code', metadata: {}, source: 'echo b', execution_count: null, outputs: [{ output_type: 'stream', name: 'stdout', text: 'b\n' }] },
    ];
    const json = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'bash', language: 'bash' } }, cells });
    const markdown = notebookToMarkdown(readNotebook('n.ipynb', json));
    expect(markdown).toContain('```\n\n\n<!-- -->\n\n\n```yaml');
    const { runbook: _optIn, ...front } = planShape(parseRunbook('n.md', markdown)).frontMatter;
    expect({ ...planShape(parseRunbook('n.md', markdown)), frontMatter: front }).toEqual(planShape(parseRunbook('n.ipynb', json)));
  });
});
