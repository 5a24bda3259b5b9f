/**
 * The capture step (`VAR=!cmd` in a notebook): `kubectl get … -o jsonpath=…` evaluated natively, any other command
 * through bash. The value (first line, or all lines) becomes a variable; stdout is what the notebook displays for
 * a bare `VAR`: the Python repr of the value.
 */
import { kubectlGetJsonPath } from '../src/kube/get.js';
import { pyRepr, pySplitLines } from '../src/core/python.js';
import { isSecretName } from '../src/core/redact.js';
import { runShell } from './shell.js';
import { withVars } from './substitute.js';
import type { StepRunner } from '../src/core/step.js';

export const capture: StepRunner<'capture'> = {
  async run(rawArgs, ctx) {
    const args = withVars.capture(rawArgs, ctx.vars);
    // The command's own stdout is captured, not shown; only its stderr reaches the cell's output.
    const quiet = { ...ctx, write: (stream: 'stdout' | 'stderr', chunk: string) => stream === 'stderr' && ctx.write(stream, chunk) };
    const result = args.get ? await kubectlGetJsonPath(args.get, ctx) : await runShell(args.command, quiet);
    if (args.get && result.stderr) ctx.write('stderr', result.stderr);
    const lines = pySplitLines(result.stdout);
    const value = args.firstLine ? (lines[0] ?? '') : lines.join('\n');
    const stdout = args.displayed ? `${args.firstLine ? pyRepr(value) : `[${lines.map(pyRepr).join(', ')}]`}\n` : '';
    // Reporters learn that a secret-looking variable's value is a secret only when the step ends: not streamed.
    if (stdout && !isSecretName(args.variable)) ctx.write('stdout', stdout);
    return {
      stdout,
      stderr: result.stderr,
      exitCode: result.exitCode,
      vars: { [args.variable]: value },
      data: { type: 'value', variable: args.variable, value },
    };
  },
};
