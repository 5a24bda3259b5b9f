/** Notebook cells read as IPython reads them: Python, `!` lines, captures and magics, in order. */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/core/model.js';
import { substitute } from '../../src/core/vars.js';
import { interpolate } from '../../src/parse/ipython-interpolate.js';
import { parseRunbook } from '../../src/parse/index.js';

const cell = (...lines: string[]) => parseRunbook('a.md', ['```python', ...lines, '```', ''].join('\n')).steps;
const shape = (steps: Step[]) => steps.map((s) => [s.kind, s.command]);

describe('a Python cell', () => {
  it('splits a mixed cell into Python, native commands and Python, in order, as one cell', () => {
    const steps = cell('x = 1', 'print(x)', '!kubectl apply -f m.yaml', '# then', 'y = x + 1', '!echo done');
    expect(shape(steps)).toEqual([
      ['python', 'x = 1\nprint(x)'],
      ['apply', 'kubectl apply -f m.yaml'],
      ['python', 'y = x + 1'],
      ['shell', 'echo done'],
    ]);
    expect(new Set(steps.map((s) => JSON.stringify(s.cell)))).toEqual(new Set([JSON.stringify({ index: 0, first: 0, last: 3 })]));
  });

  it('keeps a ! line inside a block, a bracket or a string with its Python', () => {
    expect(shape(cell('for m in models:', '    !kubectl apply -f {m}', 'print("ok")'))).toEqual([['python', 'for m in models:\n    !kubectl apply -f {m}\nprint("ok")']]);
    expect(shape(cell('x = [', '!a', ']'))).toEqual([['python', 'x = [\n!a\n]']]);
    expect(shape(cell('s = """', '!a', '"""', '!echo b'))).toEqual([
      ['python', 's = """\n!a\n"""'],
      ['shell', 'echo b'],
    ]);
  });

  it('keeps the capture glue a capture, and `import os` Python only where the cell runs Python', () => {
    const glue = cell('IP=!kubectl get svc x -o jsonpath={.spec.clusterIP}', 'IP=IP[0]', 'import os', "os.environ['IP'] = IP", 'IP');
    expect(glue.map((s) => s.kind)).toEqual(['capture']);
    expect(glue[0]).toMatchObject({ args: { variable: 'IP', firstLine: true, exported: true, displayed: true } });
    expect(shape(cell('import os', 'IP=!hostname', 'print(os.getcwd())'))).toEqual([
      ['python', 'import os'],
      ['capture', 'IP=!hostname'],
      ['python', 'print(os.getcwd())'],
    ]);
  });

  it('reads magics: %env NAME=VALUE is an env step, other line magics Python, unknown cell magics skipped', () => {
    expect(cell('%env A=1', '%env B two words')).toMatchObject([
      { kind: 'env', args: { name: 'A', value: '1' } },
      { kind: 'env', args: { name: 'B', value: 'two words' } },
    ]);
    expect(shape(cell('%env A'))).toEqual([['python', '%env A']]);
    expect(shape(cell('%pip install numpy'))).toEqual([['python', '%pip install numpy']]);
    const timed = cell('%%timeit', 'sum(range(10))');
    expect(timed).toMatchObject([{ kind: 'python', options: { skip: true } }]);
    expect(timed[0]!.note).toMatch(/cell magic %%timeit.*skipped/);
    expect(cell('%%writefile -a out.txt', 'line')).toMatchObject([{ kind: 'writefile', args: { path: 'out.txt', append: true, content: 'line\n' } }]);
    expect(shape(cell('%%sh', 'echo a', 'echo b'))).toEqual([['shell', 'echo a\necho b']]);
  });

  it('gives a ! line that interpolates an expression to the kernel, saying why', () => {
    const steps = cell('!kubectl apply -f {files[0]}');
    expect(shape(steps)).toEqual([['python', '!kubectl apply -f {files[0]}']]);
    expect(steps[0]!.note).toBe('{files[0]} needs Python to evaluate: the line runs in the kernel');
  });
});

describe("IPython's interpolation of a ! line", () => {
  const bash = (line: string) => {
    const r = interpolate(line);
    return r.type === 'shell' ? r.script : `kernel: ${r.expression}`;
  };

  it('makes names references where bash expands them, quotes included', () => {
    expect(bash('curl http://{IP}/x')).toBe('curl http://${IP}/x');
    expect(bash("curl -d '{{\"a\": \"{V}\"}}' h")).toBe(`curl -d '{"a": "'"\${V}"'"}' h`);
    expect(bash('echo "$NAME" $OTHER')).toBe('echo "${NAME}" ${OTHER}');
  });

  it("leaves a dollar inside single quotes, and $$ and {{ }} are escapes", () => {
    expect(bash("echo '$x' $$y {{z}}")).toBe("echo '$x' $y {z}");
  });

  it('leaves the whole line to the shell when a brace is not Python (a JSON payload, awk, a jsonpath)', () => {
    for (const line of [`curl -d '{"a": "$x"}' http://{IP}`, "awk '{print $1}' {{x}}", "kubectl get x -o jsonpath='{.a}'", 'echo {}']) expect(bash(line)).toBe(line);
  });

  it('sends an expression to the kernel', () => {
    expect(bash('echo {n//4}')).toBe('kernel: n//4');
    expect(bash('echo {m.name}')).toBe('kernel: m.name');
  });

  it("runs as IPython would: typed arguments substitute the names and nothing else", () => {
    const step = cell(`IP = ask()\nV = 'x'\n!curl -s http://{IP}/v2 -d '{{"n": "$n", "v": "{V}"}}'`).find((s) => s.kind === 'curl');
    expect(step?.kind).toBe('curl');
    if (step?.kind !== 'curl') return;
    expect(substitute(step.args.url, { IP: '10.0.0.1' })).toBe('http://10.0.0.1/v2');
    // IPython counts the quotes after `$n` only up to the next `{field}`, where none closes: it expands `$n` too.
    expect(substitute(step.args.data[0]!.value, { V: 'x', n: 'no' })).toBe('{"n": "no", "v": "x"}');
  });
});

describe('a {name} Python never bound', () => {
  it("is IPython's NameError: the whole line runs as written (curl's -w '%{http_code}')", () => {
    const [step] = cell(`!curl -s http://h/x -o /dev/null -w '%{http_code}'`);
    if (step?.kind !== 'curl') throw new Error('not typed');
    expect(substitute(step.args.writeOut!, {})).toBe('%{http_code}');
    const bound = cell(`http_code = 'code'\n!curl -s http://h/x -w '%{http_code}'`).find((s) => s.kind === 'curl');
    if (bound?.kind !== 'curl') throw new Error('not typed');
    expect(substitute(bound.args.writeOut!, { http_code: 'code' })).toBe('%code');
  });

  it('is bound by an earlier cell of the same runbook (a capture, an assignment, a loop)', () => {
    const text = ['```python', 'MESH_IP=!echo 1.2.3.4', '```', '', '```python', '!curl -s http://{MESH_IP}/v2', '```', ''].join('\n');
    const step = parseRunbook('a.md', text).steps.find((s) => s.kind === 'curl');
    if (step?.kind !== 'curl') throw new Error('not typed');
    expect(substitute(step.args.url, { MESH_IP: '1.2.3.4' })).toBe('http://1.2.3.4/v2');
  });
});

describe('a console fence is bash', () => {
  it('expands nothing inside single quotes or after a backslash', () => {
    const [step] = parseRunbook('a.md', ['```sh', `$ curl -d '{"a":"$x"}' -H "X: \\$y $z" http://h`, '```', ''].join('\n')).steps;
    if (step?.kind !== 'curl') throw new Error('not typed');
    expect(substitute(step.args.data[0]!.value, { x: 'X', y: 'Y', z: 'Z' })).toBe('{"a":"$x"}');
    expect(substitute(step.args.headers[0]!, { x: 'X', y: 'Y', z: 'Z' })).toBe('X: $y Z');
  });
});
