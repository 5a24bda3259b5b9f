/**
 * Hand-made nasty runbooks (test/fixtures/nasty/) and generated giants, each with the one message it must give.
 * The giants are the inputs that crashed or hung the parser before; they are built here, not stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runbook, useCliSnapshot } from './cli.js';
import { fuzzInput, seedMarkdown, seedNotebook, type FuzzInput } from './mutate.js';
import { outcomeOf } from './outcome.js';

const nastyDir = fileURLToPath(new URL('../fixtures/nasty/', import.meta.url));

/** What each corpus file must give: `line:column: message start`, or a plan of so many steps. */
const corpus: Record<string, string | { steps: number }> = {
  'broken-continuation.md': '2:26: broken continuation: the last line of the cell ends with a backslash',
  'cells-not-a-list.ipynb': '3:2: not a notebook: "cells" must be a list',
  'console-broken.md': '2:20: broken continuation',
  'directive-before-prose.md': '1:1: runbook directive is not followed by a code cell',
  'directive-junk.md': "3:23: bad timeout: 'soon'",
  'fences-in-fences.md': { steps: 0 },
  'front-matter-alias-bomb.md': '2:1: front matter is not valid YAML: Excessive alias count',
  'front-matter-collection-key.md': { steps: 0 },
  'front-matter-junk.md': '2:10: timeout must be a duration',
  'front-matter-unclosed.md': '1:1: front matter is not closed',
  'heredoc-open.md': "3:5: heredoc 'EOF' is not closed",
  'latin1.md': '1:6: invalid UTF-8 (byte 0xe9 at offset 5)',
  'nbformat3.ipynb': '1:2: not an nbformat 4 notebook (nbformat 3)',
  'nul-byte.md': '2:1: binary file (NUL byte)',
  'orphan-output.md': '11:1: indented block with no code cell before it',
  'outputs-an-object.ipynb': '4:3: cell 0: outputs must be a list',
  'source-a-number.ipynb': '4:3: cell 0: source must be a string or a list of strings',
  'stray-output-fence.md': '1:1: ```output block with no command before it',
  'tags-not-strings.ipynb': '4:3: cell 0: metadata.tags must be a list of strings',
  'truncated.ipynb': "3:1: not a notebook: invalid JSON (expected ',' or '}', found the end of the file)",
  'unclosed-fence.md': '3:1: unclosed ``` fence (python)',
};

function load(name: string): FuzzInput {
  const ext = name.endsWith('.ipynb') ? 'input.ipynb' : 'input.md';
  return fuzzInput(ext, readFileSync(nastyDir + name), name);
}

/** `line:column: message` of an outcome, or its step count. */
function said(input: FuzzInput): string | { steps: number } {
  const outcome = outcomeOf(input);
  if (outcome.kind === 'plan') return { steps: outcome.plan.steps.length };
  const p = outcome.error.position!;
  return `${p.line}:${p.column}: ${outcome.error.message}`;
}

describe('the nasty corpus', () => {
  it('has an expectation for every file', () => {
    expect(readdirSync(nastyDir).sort()).toEqual(Object.keys(corpus).sort());
  });

  it.each(Object.entries(corpus))('%s', (name, expected) => {
    const got = said(load(name));
    expect(typeof got === 'string' && typeof expected === 'string' ? got.slice(0, expected.length) : got).toEqual(expected);
  });

  useCliSnapshot();
  it('check reports every file in one run, with its line, and exits 2 for the unreadable ones', async () => {
    const files = Object.keys(corpus).map((name) => nastyDir + name);
    const run = await runbook(['check', ...files]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/\n\s+at |internal error/);
    for (const [name, expected] of Object.entries(corpus)) {
      if (typeof expected !== 'string') {
        // Nothing but the plan: yaml once printed a Node warning here for `? [a]`.
        const list = await runbook(['list', nastyDir + name]);
        expect([list.code, list.stderr]).toEqual([0, '']);
        continue;
      }
      const [line, column] = expected.split(':');
      expect(run.stdout).toContain(`${nastyDir}${name}:${line}:${column}: error: `);
    }
  });
});

const md = seedMarkdown.toString('utf8');
const firstCell = md.indexOf('```python\n') + 10;
const notebook = (cells: unknown[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const aliasBomb = 'abcdefghi'.split('').map((c, i) => `${c}: &${c} [${i === 0 ? 'x,x,x,x,x,x,x,x,x' : Array(9).fill('*' + 'abcdefghi'[i - 1]).join(',')}]`);

/** Generated giants: what they must give, and whether `npm test` runs them (the rest run under `npm run fuzz`). */
const giants: [string, 'md' | 'ipynb', () => string, string | { steps: number }, 'fast' | 'slow'][] = [
  ['10 MB command in a cell', 'md', () => md.slice(0, firstCell) + '!curl ' + 'x'.repeat(9_990_000) + '\n' + md.slice(firstCell), { steps: 14 }, 'slow'],
  ['10 MB directive', 'md', () => '<!-- runbook: ' + 'x'.repeat(9_990_000) + ' -->\n' + md.slice(md.indexOf('```python')), "1:15: unknown runbook option 'xxxxxxx", 'slow'],
  ['10,000-backtick fence', 'md', () => '`'.repeat(10_000) + 'python\n' + md, '1:1: unclosed ```````````… fence (python', 'fast'],
  ['10 million blank lines', 'md', () => '\n'.repeat(10_000_000) + md, '1000001:1: more than 1,000,000 lines', 'slow'],
  ['990,000 blank lines', 'md', () => '\n'.repeat(990_000) + md, { steps: 13 }, 'slow'],
  ['3 million one-line commands', 'md', () => md.slice(0, firstCell) + '!x\n'.repeat(3_000_000) + md.slice(firstCell), '1000001:1: more than 1,000,000 lines', 'fast'],
  ['60,000 steps', 'md', () => '```python\n' + '!kubectl apply -f x.yaml\n'.repeat(60_000) + '```\n', '50002:1: more than 50,000 steps', 'slow'],
  ['front matter alias bomb', 'md', () => `---\n${aliasBomb.join('\n')}\n---\n${md}`, '2:1: front matter is not valid YAML', 'fast'],
  ['2 MB of front matter', 'md', () => `---\n${Array.from({ length: 200_000 }, (_, i) => `k${i}: 1`).join('\n')}\n---\n${md}`, '1:1: front matter is 2', 'fast'],
  ['a million [ as a notebook', 'ipynb', () => '['.repeat(1_000_000), '1:1000001: not a notebook: invalid JSON', 'slow'],
  ['100,000 cells', 'ipynb', () => notebook(Array(100_000).fill({ cell_type: 'code', source: '!kubectl get pods', outputs: [], metadata: {} })), '1:1: more than 50,000 steps', 'slow'],
  ['a notebook cell of 2 million lines', 'ipynb', () => notebook([{ cell_type: 'code', source: '!x\n'.repeat(2_000_000), outputs: [] }]), '1:57: more than 1,000,000 lines of cell sources and outputs', 'fast'],
  ['a markdown cell of 990,000 lines', 'ipynb', () => notebook([{ cell_type: 'markdown', source: '# x\n'.repeat(990_000) }]), { steps: 0 }, 'slow'],
  ['an output of 2 million lines', 'ipynb', () => notebook([{ cell_type: 'code', source: '!x', outputs: [{ output_type: 'stream', name: 'stdout', text: 'o\n'.repeat(2_000_000) }] }]), '1:57: more than 1,000,000 lines of output', 'fast'],
  ['the seed notebook with a 10 MB source line', 'ipynb', () => seedNotebook.toString('utf8').replace('"!kustomize build', `"!kustomize build ${'y'.repeat(9_900_000)}`), { steps: 13 }, 'slow'],
];

describe('generated giants end in time with one located message', () => {
  const chosen = process.env.FUZZ_GIANTS ? giants : giants.filter((g) => g[4] === 'fast');
  it.each(chosen)('%s', (name, ext, make, expected) => {
    const got = said(fuzzInput(`input.${ext}`, Buffer.from(make()), name));
    expect(typeof got === 'string' && typeof expected === 'string' ? got.slice(0, expected.length) : got).toEqual(expected);
  }, 60_000);
});
