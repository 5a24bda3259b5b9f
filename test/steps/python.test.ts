/** The python step against a real python3 kernel: IPython's path where IPython is importable, and the subset. */
import { afterEach, expect } from 'vitest';
import { python } from '../../steps/python.js';
import { needs } from '../tools.js';
import { context, hasIPython, type TestContext } from './python-kernel.js';

const withIPython = hasIPython();
/** RUNBOOK_IPYTHON=0 runs the documented subset even where IPython is installed. */
const modes: { name: string; vars: Record<string, string>; ipython: boolean }[] = [
  { name: 'the subset without IPython', vars: { RUNBOOK_IPYTHON: '0' }, ipython: false },
  ...(withIPython ? [{ name: "IPython's InteractiveShell", vars: {}, ipython: true }] : []),
];

let open: TestContext[] = [];
afterEach(async () => {
  await Promise.all(open.map((ctx) => ctx.close()));
  open = [];
});

function start(vars: Record<string, string>): TestContext {
  const ctx = context(vars);
  open.push(ctx);
  return ctx;
}

/** Runs cells one after the other as the runner does: each sees the variables the ones before defined. */
async function cells(ctx: TestContext, ...codes: string[]) {
  const outputs = [];
  let vars = ctx.vars;
  for (const code of codes) {
    const out = await python.run({ code }, { ...ctx, vars });
    vars = { ...vars, ...out.vars };
    outputs.push(out);
  }
  return outputs;
}

needs('python3').describe.each(modes)('python step with $name', (mode) => {
  needs('python3').it('keeps globals from cell to cell and shows a trailing expression with repr', async () => {
    const ctx = start(mode.vars);
    const [a, b, c, d] = await cells(ctx, 'x = 40\nname = "iris"', 'x + 2', 'name', 'print("printed", x)\nNone');
    expect(a).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    expect(b).toMatchObject({ stdout: '42\n', exitCode: 0 });
    expect(c).toMatchObject({ stdout: "'iris'\n", exitCode: 0 });
    expect(d).toMatchObject({ stdout: 'printed 40\n', exitCode: 0 });
    // Streamed as it came, for the live view (in as many chunks as the writes).
    expect(ctx.chunks.filter(([stream]) => stream === 'stdout').map(([, text]) => text).join('')).toBe("42\n'iris'\nprinted 40\n");
  });

  needs('python3').it('shows nothing for a trailing expression that ends with a semicolon', async () => {
    const [out] = await cells(start(mode.vars), '1 + 1;');
    expect(out?.stdout).toBe('');
  });

  needs('python3').it('prints a short traceback on stderr for an exception, fails the step, and keeps the kernel', async () => {
    const ctx = start(mode.vars);
    const [bad, after] = await cells(ctx, 'kept = 1\ndef f():\n    return 1 / 0\nf()', 'kept');
    expect(bad?.exitCode).toBe(1);
    expect(bad?.stdout).toBe('');
    expect(bad?.stderr).toMatch(/^Traceback \(most recent call last\):\n/);
    expect(bad?.stderr).toContain('return 1 / 0');
    expect(bad?.stderr).toMatch(/ZeroDivisionError: division by zero\n$/);
    // The kernel's own frames are not shown: the traceback is about the cell.
    expect(bad?.stderr).not.toMatch(/runbook|kernel|interactiveshell/i);
    expect(bad?.stderr.split('\n').length).toBeLessThan(10);
    expect(after).toMatchObject({ stdout: '1\n', exitCode: 0 });
  });

  needs('python3').it('fails a cell that calls sys.exit, and carries on after exit()', async () => {
    const [exited, after, exitCall, still] = await cells(start(mode.vars), 'import sys\nsys.exit(2)', '"alive"', 'exit()', '"still alive"');
    expect(exited?.exitCode).toBe(1);
    expect(exited?.stderr).toContain('SystemExit: 2');
    expect(after?.stdout).toBe("'alive'\n");
    expect(exitCall?.stderr).not.toContain('Error');
    expect(still?.stdout).toBe("'still alive'\n");
  });

  needs('python3').it('fails on a syntax error', async () => {
    const [out] = await cells(start(mode.vars), 'def (:');
    expect(out?.exitCode).toBe(1);
    expect(out?.stderr).toContain('SyntaxError');
  });

  needs('python3').it("sees the runbook's variables as globals and in os.environ, but not the inherited environment as globals", async () => {
    const ctx = start({ ...mode.vars, MESH_IP: '10.1.2.3' });
    const [out] = await cells(ctx, 'import os\nprint(MESH_IP, os.environ["MESH_IP"], "PATH" in globals(), "PATH" in os.environ)');
    expect(out?.stdout).toBe('10.1.2.3 10.1.2.3 False True\n');
  });

  needs('python3').it('does not overwrite a global the cells bound to a non-string with a variable of that name', async () => {
    const ctx = start(mode.vars);
    await cells(ctx, 'REPLICAS = 3');
    const out = await python.run({ code: 'REPLICAS' }, { ...ctx, vars: { ...ctx.vars, REPLICAS: '5' } });
    expect(out.stdout).toBe('3\n');
  });

  needs('python3').it('returns the str, int and float globals a cell binds or changes, and os.environ changes, as variables', async () => {
    const ctx = start(mode.vars);
    const [first, second] = await cells(
      ctx,
      'import os\nMESH_IP = "10.0.0.9"\nport = 8080\nratio = 0.5\nflag = True\n_private = "x"\nitems = ["a"]\nos.environ["TOKEN_FILE"] = "/tmp/t"',
      'MESH_IP = "10.0.0.9"\nport = 8081',
    );
    expect(first?.vars).toEqual({ MESH_IP: '10.0.0.9', port: '8080', ratio: '0.5', TOKEN_FILE: '/tmp/t' });
    // Unchanged values are not reported again.
    expect(second?.vars).toEqual({ port: '8081' });
  });

  needs('python3').it('gives a cell that reads stdin EOF at once, and so its children', async () => {
    const [read, child] = await cells(start(mode.vars), 'import sys\nrepr(sys.stdin.read())', 'import subprocess\nsubprocess.run(["cat"]).returncode');
    expect(read?.stdout).toBe(`"''"\n`);
    expect(child?.stdout).toBe('0\n');
  });

  needs('python3').it('runs ! lines with $name and {expr} from the namespace, as IPython expands them', async () => {
    const code = [
      'import os',
      'os.environ["model"] = "env"',
      'model = "py"',
      'def show():',
      '    local = "in-function"',
      // $$ gives the shell a $; $name inside single quotes is left to the shell, as IPython 8 does.
      `    !echo $model {1 + 2} {model!r} $$model '$model' {{braces}} $local`,
      'show()',
    ].join('\n');
    const [out] = await cells(start(mode.vars), code);
    expect(out?.stdout).toBe("py 3 py env $model {braces} in-function\n");
  });

  needs('python3').it('runs a ! line as written when an expansion fails, as IPython does', async () => {
    const [out] = await cells(start(mode.vars), '!echo {undefined_name} $undefined_too');
    expect(out?.stdout).toBe('{undefined_name}\n');
  });

  needs('python3').it('captures x = !cmd as a list of lines', async () => {
    const [out] = await cells(start(mode.vars), 'lines = !printf "a\\nb\\n"\nlist(lines)');
    expect(out?.stdout).toBe("['a', 'b']\n");
  });

  needs('python3').it('runs %%bash cells and %env lines', async () => {
    const ctx = start(mode.vars);
    const [bash, envLine, seen] = await cells(ctx, '%%bash\necho "in bash"\necho oops >&2', '%env MODEL=iris', 'import os\nos.environ["MODEL"]');
    expect(bash).toMatchObject({ stdout: 'in bash\n', stderr: 'oops\n', exitCode: 0 });
    expect(envLine).toMatchObject({ stdout: 'env: MODEL=iris\n', vars: { MODEL: 'iris' } });
    expect(seen?.stdout).toBe("'iris'\n");
  });
});

needs('python3').describe('the kernel in use', () => {
  needs('python3').it(withIPython ? 'is IPython where IPython is importable' : 'is the subset (IPython is not installed)', async () => {
    const [out] = await cells(start({}), 'import sys\n"IPython" in sys.modules');
    expect(out?.stdout).toBe(withIPython ? 'True\n' : 'False\n');
  });
});

needs('python3').describe('the IPython kernel', () => {
  (withIPython ? needs('python3').it : needs('python3').it.skip)('lets cells import what IPython was kept from loading at start', async () => {
    const [out] = await cells(start({}), 'import sys\nsys.modules.get("jedi", "absent") is not None');
    expect(out?.stdout).toBe('True\n');
  });
});
