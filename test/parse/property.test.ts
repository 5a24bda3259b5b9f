import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { readNotebook } from '../../src/parse/notebook.js';
import { notebookToMarkdown } from '../../src/parse/notebook-markdown.js';
import { InputError } from '../../src/core/errors.js';
import type { Plan } from '../../src/core/model.js';
import { planShape, textAt } from './plan-shape.js';

/** Parses, or returns the InputError; anything else thrown fails the property. */
function parseOrInputError(file: string, input: string | Buffer): Plan | InputError {
  try {
    return parseRunbook(file, input);
  } catch (error) {
    if (error instanceof InputError && error.position && error.position.line >= 1 && error.position.column >= 1) return error;
    throw error;
  }
}

/** The notebook and its converted Markdown give equal plans, or both fail (a misplaced directive). */
function expectSamePlan(json: string, optIn = false): { markdown: string; fromMarkdown?: Plan } {
  const markdown = notebookToMarkdown(readNotebook('n.ipynb', json));
  const fromNotebook = parseOrInputError('n.ipynb', json);
  const fromMarkdown = parseOrInputError('n.md', markdown);
  if (fromNotebook instanceof InputError || fromMarkdown instanceof InputError) {
    expect([fromNotebook instanceof InputError, fromMarkdown instanceof InputError]).toEqual([true, true]);
    return { markdown };
  }
  const actual = planShape(fromMarkdown);
  if (optIn && fromNotebook.frontMatter.runbook === undefined) {
    // The Markdown may say `runbook: true` so that its prompt-less fences are steps; nothing else may differ.
    const { runbook: _optIn, ...rest } = actual.frontMatter;
    actual.frontMatter = rest;
  }
  expect(actual).toEqual(planShape(fromNotebook));
  return { markdown, fromMarkdown };
}

/** Lines that exercise every branch of the Markdown scanner. */
const trickyLine = fc.oneof(
  fc.constantFrom(
    '```python', '```', '```sh', '```console', '```output', '```text', '```yaml', '~~~', '````', '  ```python',
    '    output line', '\toutput', '    ', '', '!kubectl get pods', '!curl -v http://x \\', '        -d @a.json',
    'X=!kubectl get svc a -o jsonpath={.x}', 'X=X[0]', 'import os', "os.environ['X'] = X", 'X', 'print(1)',
    '$ kubectl get ns', '$ echo a \\', '> b', 'NAME STATUS', '<!-- runbook: skip -->', '<!-- runbook: timeout=5s expect=exact -->',
    '<!-- runbook: nope -->', '<!-- runbook: skip', '---', '...', 'title: x', 'timeout: 5', '# Heading', 'Title', '===',
    '- item', '1. item', 'cat <<EOF', 'EOF', 'for i in 1; do', 'done', '%%bash', 'a | ', '\r',
  ),
  fc.string({ maxLength: 20 }),
);

const markdownish = fc.array(trickyLine, { maxLength: 40 }).map((lines) => lines.join('\n'));

describe('any input parses or gives an InputError', () => {
  it('Markdown-like text', () => {
    fc.assert(
      fc.property(markdownish, fc.boolean(), (text, crlf) => {
        const source = crlf ? text.replace(/\n/g, '\r\n') : text;
        const result = parseOrInputError('x.md', source);
        if (result instanceof InputError) return;
        // Invariants of a plan: indices in order, every recorded range holds exactly the recorded text.
        result.steps.forEach((step, i) => {
          expect(step.index).toBe(i);
          expect(step.line).toBeGreaterThanOrEqual(1);
          const loc = step.expected?.location;
          if (loc?.format === 'markdown') expect(textAt(source, loc)).toBe(step.expected!.text);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('x.md', 'x.ipynb'), (bytes, file) => {
        parseOrInputError(file, Buffer.from(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON as a notebook', () => {
    const cell = fc.record(
      {
        cell_type: fc.oneof(fc.constantFrom('code', 'markdown', 'raw'), fc.jsonValue()),
        source: fc.oneof(fc.string(), fc.array(fc.string()), fc.jsonValue()),
        metadata: fc.oneof(fc.record({ tags: fc.oneof(fc.array(fc.constantFrom('runbook-skip', 'runbook-timeout=1s', 'runbook-x', 'other')), fc.jsonValue()) }), fc.jsonValue()),
        outputs: fc.oneof(fc.array(fc.record({ output_type: fc.constantFrom('stream', 'execute_result', 'error'), name: fc.constantFrom('stdout', 'stderr'), text: fc.oneof(fc.string(), fc.jsonValue()), data: fc.jsonValue() })), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const nb = fc.record({ nbformat: fc.oneof(fc.constant(4), fc.jsonValue()), cells: fc.oneof(fc.array(cell, { maxLength: 5 }), fc.jsonValue()), metadata: fc.jsonValue() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(nb, fc.jsonValue()), fc.integer({ min: 0, max: 3 }), (value, indent) => {
        parseOrInputError('x.ipynb', JSON.stringify(value, null, indent) ?? '');
      }),
      { numRuns: 1000 },
    );
  });
});

/** Notebooks as Jupyter writes them, from cells a runbook contains. */
const codeSource = fc
  .array(
    fc.constantFrom(
      '!kubectl get pods -n seldon-mesh', '!kustomize build config/a | kubectl apply -f -', '!curl -s http://${IP}/v2 \\\n    -d @a.json',
      'X=!kubectl get svc a -n b -o jsonpath={.x}', 'X=X[0]', 'import os', "os.environ['X'] = X", 'print("hi")', '', '# note', '!echo "```"',
    ),
    { maxLength: 5 },
  )
  .map((lines) => lines.join('\n'));
const markdownSource = fc
  .tuple(
    fc.array(fc.constantFrom('# Title', '## Part', 'Some *prose*.', '', '* item', 'Setext', '======', '---', '```yaml\na: 1\n```', '```\nistioctl version\n```', '<!-- a note -->'), {
      minLength: 1,
      maxLength: 6,
    }),
    // A directive ending a markdown cell applies to the next code cell (and is an error before anything else).
    fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom('<!-- runbook: skip -->', '<!-- runbook: expect=ignore timeout=5s -->'), weight: 1 }),
  )
  .map(([lines, directive]) => [...lines, ...(directive ? [directive] : [])].join('\n'));
const outputLine = fc.string({ maxLength: 30 }).filter((s) => !/[\n\r]/.test(s));
const tags = fc.subarray(['runbook-skip', 'runbook-timeout=60s', 'runbook-expect=ignore', 'runbook-read-only', 'runbook-retry-budget=500ms', 'runbook-strict-outcome', 'hide-input']);
const cellArb = fc.oneof(
  fc.record({ cell_type: fc.constant('markdown'), metadata: fc.constant({}), source: markdownSource }),
  fc.record({
    cell_type: fc.constant('code'),
    metadata: tags.map((t) => ({ tags: t })),
    source: codeSource,
    execution_count: fc.constant(null),
    outputs: fc.oneof(
      fc.constant([]),
      fc.array(outputLine, { minLength: 1, maxLength: 4 }).map((l) => [{ output_type: 'stream', name: 'stdout', text: l.map((x) => x + '\n') }]),
      outputLine.map((t) => [{ output_type: 'execute_result', metadata: {}, data: { 'text/plain': t } }]),
    ),
  }),
);
const settings = fc.option(fc.record({ title: fc.string({ maxLength: 10 }), timeout: fc.constantFrom('5s', '2m') }, { requiredKeys: [] }), { nil: undefined });

describe('the same notebook as .ipynb, and as Markdown after convert', () => {
  it('gives equal plans', () => {
    let failed = 0;
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 8 }), settings, (cells, runbook) => {
        const json = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: runbook ? { runbook } : {}, cells }, null, 1);
        const { markdown, fromMarkdown } = expectSamePlan(json);
        if (!fromMarkdown) return void failed++;
        for (const step of fromMarkdown.steps) {
          const loc = step.expected?.location;
          if (loc?.format === 'markdown') expect(textAt(markdown, loc)).toBe(step.expected!.text);
        }
      }),
      { numRuns: 500 },
    );
    // Most generated notebooks must parse, or the property says little.
    expect(failed).toBeLessThan(150);
  });
});

const shellSource = fc
  .array(fc.constantFrom('kubectl get pods -n seldon-mesh', 'kustomize build config/a |\n  kubectl apply -f -', 'curl -s http://x \\\n  -d @a.json', '# note', '', 'cat <<EOF\nx\nEOF', 'echo "```"'), { maxLength: 4 })
  .map((lines) => lines.join('\n'));

describe('a bash-kernel notebook, and its Markdown after convert', () => {
  it('gives equal plans', () => {
    const shellCell = fc.record({
      cell_type: fc.constant('code'),
      metadata: tags.map((t) => ({ tags: t })),
      source: shellSource,
      execution_count: fc.constant(null),
      outputs: fc.oneof(fc.constant([]), fc.array(outputLine, { minLength: 1, maxLength: 3 }).map((l) => [{ output_type: 'stream', name: 'stdout', text: l.join('\n') }])),
    });
    const markdownCell = fc.record({ cell_type: fc.constant('markdown'), metadata: fc.constant({}), source: markdownSource });
    fc.assert(
      fc.property(fc.array(fc.oneof(shellCell, markdownCell), { maxLength: 6 }), (cells) => {
        const json = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'bash', language: 'bash' } }, cells });
        // Its prompt-less ```bash fences are steps because the Markdown says it is a runbook.
        expectSamePlan(json, true);
      }),
      { numRuns: 300 },
    );
  });
});
