/** The documented subset of IPython's syntax that the kernel understands when IPython is not importable. */
import { afterEach, expect } from 'vitest';
import { python } from '../../steps/python.js';
import { needs } from '../tools.js';
import { context, type TestContext } from './python-kernel.js';

let open: TestContext[] = [];
afterEach(async () => {
  await Promise.all(open.map((ctx) => ctx.close()));
  open = [];
});

async function cells(...codes: string[]) {
  // RUNBOOK_IPYTHON=0: the subset, even where IPython is installed.
  const ctx = context({ RUNBOOK_IPYTHON: '0' });
  open.push(ctx);
  const outputs = [];
  for (const code of codes) outputs.push(await python.run({ code }, ctx));
  return outputs;
}

needs('python3').describe('python step without IPython', () => {
  needs('python3').it('runs indented ! lines inside Python blocks', async () => {
    const [out] = await cells('for name in ["a", "b"]:\n    !echo model-$name');
    expect(out).toMatchObject({ stdout: 'model-a\nmodel-b\n', exitCode: 0 });
  });

  needs('python3').it('reads a variable with %env NAME and runs %%sh cells', async () => {
    const [set, get, sh] = await cells('%env STAGE=dev', 'value = %env STAGE\nvalue', '%%sh\necho "sh: $STAGE"');
    expect(set?.stdout).toBe('env: STAGE=dev\n');
    expect(get?.stdout).toBe("'dev'\n");
    expect(sh?.stdout).toBe('sh: dev\n');
  });

  needs('python3').it('writes a %%writefile cell relative to the runbook folder', async () => {
    const [first, again, content] = await cells('%%writefile notes.txt\nhello', '%%writefile -a notes.txt\nagain', 'open("notes.txt").read()');
    expect(first?.stdout).toBe('Writing notes.txt\n');
    expect(again?.stdout).toBe('Appending to notes.txt\n');
    expect(content?.stdout).toBe("'hello\\nagain\\n'\n");
  });

  needs('python3').it('refuses a magic it does not know, naming it, and fails the step', async () => {
    const [out, after] = await cells('%timeit 1 + 1', '1');
    expect(out).toMatchObject({ stdout: '', stderr: 'UsageError: %timeit is not supported without IPython (install python3-ipython)\n', exitCode: 1 });
    expect(after?.stdout).toBe('1\n');
  });
});
