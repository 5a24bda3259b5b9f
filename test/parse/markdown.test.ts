import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import type { Step } from '../../src/core/model.js';
import { textAt, failure as failsWith } from './plan-shape.js';

const seedPath = new URL('../fixtures/seed-istio.md', import.meta.url);
const seed = readFileSync(seedPath, 'utf8');

const failure = (text: string | Buffer, file = 'bad.md') => failsWith(text, file);

function md(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

describe('nbconvert Markdown (the seed)', () => {
  const plan = parseRunbook('istio.md', seed);

  it('types the thirteen cells in order', () => {
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'capture', 'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete',
      'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete',
    ]);
    expect(plan.steps.map((s) => s.index)).toEqual([...Array(13).keys()]);
    expect(plan.format).toBe('markdown');
  });

  it('points each step at the line its command starts on', () => {
    const lines = seed.split('\n');
    expect(plan.steps.map((s) => s.line)).toEqual([20, 38, 115, 125, 133, 160, 189, 201, 294, 305, 314, 341, 370]);
    for (const step of plan.steps) {
      const first = step.command.split('\n')[0]!;
      expect(lines[step.line - 1]).toContain(first);
    }
  });

  it('records each output with the exact lines it occupies', () => {
    for (const step of plan.steps) {
      const loc = step.expected!.location;
      if (loc.format !== 'markdown') throw new Error('expected a markdown location');
      expect(loc.style).toBe('indented');
      expect(textAt(seed, loc)).toBe(step.expected!.text);
      // The line before the block is blank and the line after is not indented output.
      expect(seed.split('\n')[loc.startLine - 2]!.trim()).toBe('');
      expect(seed.split('\n')[loc.endLine]!.startsWith('    ')).toBe(false);
    }
    expect(plan.steps[1]!.expected!.location).toMatchObject({ startLine: 41, endLine: 110 });
    expect(plan.steps[4]!.expected!.text.split('\n')).toHaveLength(20);
    // `> ` with its trailing space is part of the recording.
    expect(plan.steps[4]!.expected!.text).toContain('\n> \n');
  });

  it('reads the capture glue into one capture step with its displayed value', () => {
    const capture = plan.steps[0] as Extract<Step, { kind: 'capture' }>;
    expect(capture.args).toMatchObject({
      variable: 'INGRESS_IP',
      command: "kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}'",
      firstLine: true,
      exported: true,
      displayed: true,
    });
    expect(capture.expected!.text).toBe("'172.21.255.1'");
  });

  it('keeps continuation lines verbatim in the command', () => {
    expect(plan.steps[4]!.command).toBe(
      'curl -v http://${INGRESS_IP}/v2/models/iris/infer -H "Content-Type: application/json" \\\n' +
        `        -d '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}'`,
    );
    expect(plan.steps[5]!.command.split('\n')).toHaveLength(5);
  });

  it('gives headings and the prose between steps', () => {
    expect(plan.steps.map((s) => s.heading)).toEqual([
      'Istio Notebook Examples',
      ...Array(6).fill('Istio Single Model Example'),
      ...Array(6).fill('Traffic Split Two Models'),
    ]);
    expect(plan.steps[0]!.prose).toMatch(/^## Istio Notebook Examples\n\nAssumes\n/);
    expect(plan.steps[0]!.prose).toContain('```\nistioctl version');
    expect(plan.steps[1]!.prose).toBe('### Istio Single Model Example');
    expect(plan.steps[2]!.prose).toBeUndefined();
  });

  it('numbers CRLF files the same as LF files', () => {
    const crlf = parseRunbook('istio.md', seed.replace(/\n/g, '\r\n'));
    expect(crlf).toEqual(plan);
  });
});

describe('python cells', () => {
  it('makes one step per ! line, the output going to the last', () => {
    const plan = parseRunbook('a.md', md('```python', '!kubectl create ns a', '# a comment', '!kubectl create ns b', '```', '', '    namespace/b created'));
    expect(plan.steps.map((s) => [s.command, s.line, s.expected?.text])).toEqual([
      ['kubectl create ns a', 2, undefined],
      ['kubectl create ns b', 4, 'namespace/b created'],
    ]);
  });

  it('reads a Python-only cell as one python step for the kernel', () => {
    const plan = parseRunbook('a.md', md('```python', 'import time', 'time.sleep(5)', '```'));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ kind: 'python', command: 'import time\ntime.sleep(5)', args: { code: 'import time\ntime.sleep(5)' }, options: {} });
    expect(plan.steps[0]!.cell).toEqual({ index: 0, first: 0, last: 0 });
  });

  it('ignores empty cells, even with a directive', () => {
    expect(parseRunbook('a.md', md('<!-- runbook: skip -->', '```python', '', '```')).steps).toEqual([]);
  });

  it('runs a %%bash cell as one script', () => {
    const plan = parseRunbook('a.md', md('```python', '%%bash', 'echo a', 'echo b', '```'));
    expect(plan.steps.map((s) => [s.command, s.line])).toEqual([['echo a\necho b', 3]]);
  });

  it('keeps blank lines inside an output block and ends it at the first unindented line', () => {
    const text = md('```python', '!cat x', '```', '', '    a', '', '    b', '', '', 'prose', '    not output');
    const step = parseRunbook('a.md', text).steps[0]!;
    expect(step.expected).toEqual({ text: 'a\n\nb', location: { format: 'markdown', startLine: 5, endLine: 7, style: 'indented', indent: '    ' } });
  });
});

describe('console style', () => {
  it('reads $ prompts, continuations and inline output', () => {
    const text = md(
      '```console',
      '$ kubectl get ns \\',
      '>   default',
      'NAME      STATUS',
      'default   Active',
      '$ echo "a',
      '> b"',
      'a',
      'b',
      '$ true',
      '```',
    );
    const steps = parseRunbook('a.md', text).steps;
    expect(steps.map((s) => [s.command, s.line, s.expected?.text])).toEqual([
      ['kubectl get ns \\\n  default', 2, 'NAME      STATUS\ndefault   Active'],
      ['echo "a\nb"', 6, 'a\nb'],
      ['true', 10, undefined],
    ]);
    expect(steps[0]!.expected!.location).toEqual({ format: 'markdown', startLine: 4, endLine: 5, style: 'inline', indent: '' });
    expect(textAt(text, steps[1]!.expected!.location as never)).toBe('a\nb');
  });

  it('reads > lines as output unless the command is unfinished', () => {
    const text = md('```console', '$ curl -sv http://x 2>&1 | grep "^>"', '> GET / HTTP/1.1', '> Host: x', '$ cat <<EOF', '> a', '> EOF', 'a', '$ echo a |', '> tr a b', 'b', '```');
    expect(parseRunbook('a.md', text).steps.map((s) => [s.command, s.expected?.text])).toEqual([
      ['curl -sv http://x 2>&1 | grep "^>"', '> GET / HTTP/1.1\n> Host: x'],
      ['cat <<EOF\na\nEOF', 'a'],
      ['echo a |\ntr a b', 'b'],
    ]);
  });

  it('takes the output of a prompt-less fence from the following ```output fence', () => {
    const text = md('```bash', 'kubectl apply -f a.yaml', 'kubectl get pods \\', '  -A', '```', '', '```output', 'pod/a Running', '```');
    const steps = parseRunbook('a.md', text).steps;
    expect(steps.map((s) => [s.command, s.line, s.expected?.text])).toEqual([
      ['kubectl apply -f a.yaml', 2, undefined],
      ['kubectl get pods \\\n  -A', 3, 'pod/a Running'],
    ]);
    expect(steps[1]!.expected!.location).toEqual({ format: 'markdown', startLine: 8, endLine: 8, style: 'fence', indent: '' });
  });

  it('keeps heredocs and loops together', () => {
    const heredoc = md('---', 'runbook: true', '---', '```sh', 'cat <<EOF > a.txt', 'x', 'EOF', 'ls', '```');
    expect(parseRunbook('a.md', heredoc).steps.map((s) => s.command)).toEqual(['cat <<EOF > a.txt\nx\nEOF', 'ls']);
    const loop = md('```sh', 'for i in 1 2; do', '  echo $i', 'done', '```', '```output', '1', '2', '```');
    expect(parseRunbook('a.md', loop).steps.map((s) => s.command)).toEqual(['for i in 1 2; do\n  echo $i\ndone']);
  });

  it('mixes with nbconvert cells in one file', () => {
    const text = md('```python', '!echo a', '```', '', '    a', '', '```sh', '$ echo b', 'b', '```');
    expect(parseRunbook('a.md', text).steps.map((s) => [s.command, s.expected?.text])).toEqual([
      ['echo a', 'a'],
      ['echo b', 'b'],
    ]);
  });
});

describe('blocks that are not steps', () => {
  it('leaves yaml, json, text and language-less fences in the prose', () => {
    const text = md('```yaml', 'a: 1', '```', '```json', '{}', '```', '```', 'istioctl version', '```', '```text', 'hi', '```', '```python', '!echo', '```');
    const steps = parseRunbook('a.md', text).steps;
    expect(steps).toHaveLength(1);
    expect(steps[0]!.prose).toContain('istioctl version');
  });
});

describe('which console fences are steps', () => {
  const commands = (text: string) => parseRunbook('a.md', text).steps.map((s) => s.command);

  it('takes a fence with a $ prompt, or followed by its recorded output', () => {
    expect(commands(md('```sh', '$ kubectl get ns', '```'))).toEqual(['kubectl get ns']);
    expect(commands(md('```sh', 'kubectl get ns', '```', '', '```output', 'default', '```'))).toEqual(['kubectl get ns']);
    expect(commands(md('```bash', 'kubectl get ns', '```', '```text', 'default', '```'))).toEqual(['kubectl get ns']);
    expect(commands(md('```sh', 'kubectl get ns', '```', '', '    default'))).toEqual(['kubectl get ns']);
  });

  it('leaves a prompt-less fence without recorded output in the prose: an instruction for readers', () => {
    const plan = parseRunbook('a.md', md('Install it:', '', '```sh', 'npm ci && npm run build', '```', '', 'Then:', '', '```sh', '$ touch ready', '```'));
    expect(plan.steps.map((s) => s.command)).toEqual(['touch ready']);
    expect(plan.steps[0]!.prose).toBe('Install it:\n\n```sh\nnpm ci && npm run build\n```\n\nThen:');
    // Prose between a fence and an output fence: the output has no command (an error), so the fence is not a step.
    expect(failure(md('```sh', 'touch x', '```', 'Done.', '```output', 'x', '```'))).toMatch(/^bad\.md:5:1: ```output block with no command before it/);
  });

  it('takes every fence of a file that opts in, or one a directive marks', () => {
    expect(commands(md('---', 'runbook: true', '---', '```sh', 'touch x', '```'))).toEqual(['touch x']);
    expect(commands(md('<!-- runbook: expect=ignore -->', '```sh', 'touch x', '```', '```sh', 'touch y', '```'))).toEqual(['touch x']);
  });

  it('takes nothing from a file that opts out, prompts included', () => {
    const plan = parseRunbook('a.md', md('---', 'runbook: false', '---', '```sh', '$ kubectl get ns', 'default', '```'));
    expect(plan.steps).toEqual([]);
    expect(plan.frontMatter.runbook).toBe(false);
    expect(failure(md('---', 'runbook: yes please', '---'))).toMatch(/^bad\.md:2:10: runbook must be true .* or false/);
  });
});

describe('directives', () => {
  it('sets the options of the next cell, blank lines allowed in between', () => {
    const text = md('<!-- runbook: skip timeout=1m30s expect=ignore -->', '', '```python', '!a', '!b', '```', '<!-- runbook: retry-budget=500ms, read-only strict-outcome expect=contains -->', '```sh', 'c', '```', '```sh', '$ d', '```');
    const steps = parseRunbook('a.md', text).steps;
    expect(steps.map((s) => s.options)).toEqual([
      { skip: true, timeoutMs: 90_000, expect: 'ignore' },
      { skip: true, timeoutMs: 90_000, expect: 'ignore' },
      { retryBudgetMs: 500, readOnly: true, strictOutcome: true, expect: 'contains' },
      {},
    ]);
  });

  it('names the bad token and what is expected', () => {
    expect(failure(md('', '<!-- runbook: skip timout=5s -->', '```sh', 'a', '```'))).toBe(
      "bad.md:2:20: unknown runbook option 'timout'; expected one of: skip, timeout=DURATION (e.g. 500ms, 60s, 5m), expect=default|exact|contains|ignore, retry-budget=DURATION (e.g. 30s, 2m), read-only, strict-outcome",
    );
    expect(failure(md('<!-- runbook: timeout=5 -->', '```sh', 'a', '```'))).toBe("bad.md:1:23: bad timeout: '5'; expected timeout=DURATION (e.g. 500ms, 60s, 5m)");
    expect(failure(md('<!-- runbook: expect=fuzzy -->', '```sh', 'a', '```'))).toMatch(/^bad\.md:1:22: bad expect: 'fuzzy'; expected expect=default\|exact\|contains\|ignore$/);
    expect(failure(md('<!-- runbook: skip=yes -->', '```sh', 'a', '```'))).toBe("bad.md:1:20: 'skip' takes no value; write just 'skip'");
    expect(failure(md('<!-- runbook: skip', '```sh', 'a', '```'))).toMatch(/^bad\.md:1:1: runbook directive is not closed/);
  });

  it('must be followed by a code cell', () => {
    expect(failure(md('<!-- runbook: skip -->', 'Some prose.', '```sh', 'a', '```'))).toMatch(/^bad\.md:1:1: runbook directive is not followed by a code cell/);
    expect(failure(md('<!-- runbook: skip -->', '```yaml', 'a: 1', '```'))).toMatch(/^bad\.md:1:1: .*found a ```yaml/);
    expect(failure(md('text', '<!-- runbook: skip -->'))).toMatch(/^bad\.md:2:1: .*the end of the file/);
  });

  it('leaves other HTML comments alone', () => {
    expect(parseRunbook('a.md', md('<!-- a note -->', '```sh', '$ a', '```')).steps[0]!.options).toEqual({});
  });
});

describe('front matter', () => {
  it('reads runbook-wide settings', () => {
    const text = md('---', 'title: Istio', 'contexts: [kind-*, sandbox]', 'env:', '  NS: seldon-mesh', '  PORT: 8080', 'timeout: 2m', 'retry-budget: 30s', 'sidebar_position: 3', '---', '```sh', '$ a', '```');
    const plan = parseRunbook('a.md', text);
    expect(plan.frontMatter).toEqual({ title: 'Istio', contexts: ['kind-*', 'sandbox'], env: { NS: 'seldon-mesh', PORT: '8080' }, timeoutMs: 120_000, retryBudgetMs: 30_000 });
    expect(plan.steps[0]!.line).toBe(12);
  });

  it('refuses a key that looks like a mistyped setting, and leaves a docs site\'s own keys alone', () => {
    expect(failure(md('---', 'title: x', 'context: [kind-*]', '---'))).toBe(
      "bad.md:3:1: front matter key 'context' is not a runbook setting; did you mean 'contexts'? (a mistyped setting would be silently ignored; settings are title, contexts, env, timeout, retry-budget, runbook)",
    );
    expect(failure(md('---', 'retry_budget: 5s', '---'))).toMatch(/^bad\.md:2:1: front matter key 'retry_budget' .* did you mean 'retry-budget'\?/);
    expect(failure(md('---', 'Timout: 5s', '---'))).toMatch(/did you mean 'timeout'\?/);
    expect(failure(md('---', 'environment: {A: b}', '---'))).toMatch(/did you mean 'env'\?/);
    expect(failure(md('---', 'titel: x', '---'))).toMatch(/did you mean 'title'\?/);
    const docs = md('---', 'id: intro', 'nav: main', 'content: x', 'tags: [a]', 'sidebar_position: 2', 'description: x', 'slug: /x', '---', '```sh', '$ a', '```');
    expect(parseRunbook('a.md', docs).frontMatter).toEqual({});
  });

  it('names the line of a bad setting', () => {
    expect(failure(md('---', 'title: x', 'contexts: kind', '---'))).toBe('bad.md:3:11: contexts must be a list of context names or glob patterns');
    expect(failure(md('---', 'env:', '  A: [1]', '---'))).toBe('bad.md:3:6: env.A must be a string');
    expect(failure(md('---', 'timeout: soon', '---'))).toBe('bad.md:2:10: timeout must be a duration such as 60s or 5m');
    expect(failure(md('---', 'title: [x', '---'))).toMatch(/^bad\.md:2:\d+: front matter is not valid YAML/);
    expect(failure(md('---', 'title: x'))).toMatch(/^bad\.md:1:1: front matter is not closed/);
  });
});

describe('bad input', () => {
  it('reports an unclosed fence at its opening line', () => {
    expect(failure(md('# T', '', '  ```python', '!echo'))).toBe('bad.md:3:3: unclosed ``` fence (python); expected a closing ``` line');
  });

  it('reports an indented output block with no cell before it in an nbconvert export', () => {
    const cell = ['```python', '!echo', '```'];
    expect(failure(md('# T', '', '    model.mlops.seldon.io/iris created', '', ...cell))).toMatch(/^bad\.md:3:1: indented block with no code cell before it/);
    expect(failure(md(...cell, '', '    a', 'prose', '', '    b'))).toMatch(/^bad\.md:8:1: indented block with no code cell before it/);
    // Indented list continuations and paragraph continuations are prose.
    expect(parseRunbook('a.md', md(...cell, '- item', '', '    more of the item', 'para', '    continued')).steps).toHaveLength(1);
  });

  it('leaves indented code blocks alone in documents without ```python cells', () => {
    const plan = parseRunbook('a.md', md('To install:', '', '    $ npm install x', '', '```sh', '$ echo', '```'));
    expect(plan.steps.map((s) => s.command)).toEqual(['echo']);
    expect(plan.steps[0]!.prose).toBe('To install:\n\n    $ npm install x');
  });

  it('reports an output fence with no command before it', () => {
    expect(failure(md('text', '', '```output', 'x', '```'))).toMatch(/^bad\.md:3:1: ```output block with no command before it/);
  });

  it('reports a broken continuation at its backslash', () => {
    expect(failure(md('```python', '!kubectl get pods \\', '```'))).toBe(
      'bad.md:2:19: broken continuation: the last line of the cell ends with a backslash; remove it or add the rest of the command',
    );
    expect(failure(md('```sh', '$ kubectl get pods \\', '```'))).toMatch(/^bad\.md:2:20: broken continuation/);
    expect(failure(md('<!-- runbook: skip -->', '```sh', 'kubectl get pods |', '```'))).toMatch(/^bad\.md:3:18: broken continuation/);
  });

  it('reports invalid UTF-8, binary files and huge files', () => {
    const utf8 = Buffer.concat([Buffer.from('# T\nab'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(failure(utf8)).toBe('bad.md:2:3: invalid UTF-8 (byte 0xc3 at offset 6); save the runbook as UTF-8');
    expect(failure(Buffer.from('# T\n\nx\0y'))).toBe('bad.md:3:2: binary file (NUL byte); expected a Markdown or .ipynb text file');
    expect(failure(Buffer.alloc(10 * 1024 * 1024 + 1, 'a'))).toBe('bad.md:1:1: file is 10.0 MB; runbooks larger than 10 MB are not read');
    expect(failure('a'.repeat(10 * 1024 * 1024 + 1))).toMatch(/^bad\.md:1:1: file is 10\.0 MB/);
  });

  it('accepts a byte-order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seed)]);
    expect(parseRunbook('istio.md', withBom)).toEqual(parseRunbook('istio.md', seed));
  });
});
