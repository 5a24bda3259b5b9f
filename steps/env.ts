/**
 * The `env` step, IPython's `%env NAME=VALUE`: the variable is set for every later step (shell steps' environment,
 * `${NAME}` in typed steps, the Python kernel's os.environ), and the step prints what IPython prints,
 * `env: NAME=VALUE`. The value arrives with `${VAR}` already substituted (steps/substitute.ts).
 */
import type { StepRunner } from '../src/core/step.js';

export const env: StepRunner<'env'> = {
  run(args, ctx) {
    const name = args.name.trim();
    const value = args.value.trim();
    // IPython refuses these too: whitespace in a name is almost always a misplaced `=`.
    if (name === '' || /[\s=\0]/.test(name) || value.includes('\0')) {
      return Promise.resolve({ stdout: '', stderr: `UsageError: refusing to set env var ${JSON.stringify(name)}\n`, exitCode: 1 });
    }
    const stdout = `env: ${name}=${value}\n`;
    ctx.write('stdout', stdout);
    return Promise.resolve({ stdout, stderr: '', exitCode: 0, vars: { [name]: value } });
  },
};
