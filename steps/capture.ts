/**
 * The capture step (`VAR=!cmd` in a notebook): `kubectl get … -o jsonpath=…` evaluated natively, any other command
 * through bash. The value (first line, or all lines) becomes a variable; stdout is what the notebook displays for
 * a bare `VAR`: the Python repr of the value.
 */
import { kubectlGetJsonPath } from '../src/kube/get.js';
import { isSecretName } from '../src/core/redact.js';
import { runShell } from './shell.js';
import type { StepRunner } from '../src/core/step.js';

export const capture: StepRunner<'capture'> = {
  async run(args, ctx) {
    // The command's own stdout is captured, not shown; only its stderr reaches the cell's output.
    const quiet = { ...ctx, write: (stream: 'stdout' | 'stderr', chunk: string) => stream === 'stderr' && ctx.write(stream, chunk) };
    const result = args.get ? await kubectlGetJsonPath(args.get, ctx) : await runShell(args.command, quiet);
    if (args.get && result.stderr) ctx.write('stderr', result.stderr);
    const lines = splitLines(result.stdout);
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

/** Python's `str.splitlines()`, which IPython uses for `!` captures: no empty last element for a final newline. */
export function splitLines(text: string): string[] {
  // Python splits on these separators (file, group and record separators included).
  // eslint-disable-next-line no-control-regex
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's `repr()` of a str: single quotes unless the text has one and no double quote. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}
