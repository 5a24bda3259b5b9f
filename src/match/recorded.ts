/**
 * What a notebook would have recorded for a step's output: the text `--update` writes and reports show.
 */
import type { Step } from '../core/model.js';
import type { StepOutput } from '../core/step.js';
import { pyRepr } from '../core/python.js';
import { stripProgress } from './curl.js';

const clean = (text: string) => text.replace(/\r+\n/g, '\n');

function joined(first: string, second: string): string {
  const parts = [clean(first), clean(second)].filter((p) => p !== '');
  return parts
    .map((p, i) => (i < parts.length - 1 && !p.endsWith('\n') ? `${p}\n` : p))
    .join('')
    .replace(/\n+$/, '');
}

/**
 * The output in its recorded form. curl: stdout and stderr as a terminal interleaves them (`StepOutput.screen`).
 * capture: the displayed value, as IPython shows it. Other kinds: stdout, then stderr. Line endings become `\n`; no trailing newline.
 */
export function recordedForm(step: Step, output: StepOutput): string {
  switch (step.kind) {
    case 'curl':
      // What the terminal showed, when the step kept it; else stdout after stderr, what it shows for a body
      // without a final newline (stdio holds it until curl exits).
      return output.screen !== undefined
        ? joined(stripProgress(output.screen), '')
        : joined(stripProgress(output.stderr), output.stdout);
    case 'capture': {
      if (!step.args.displayed) return '';
      if (output.data?.type === 'value') {
        const value = output.data.value;
        if (step.args.firstLine) return pyRepr(value);
        const lines = value === '' ? [] : value.replace(/\n$/, '').split('\n');
        return `[${lines.map(pyRepr).join(', ')}]`;
      }
      return clean(output.stdout).replace(/\n+$/, '');
    }
    case 'build':
    case 'apply':
    case 'wait':
    case 'delete':
    case 'grpcurl':
    case 'shell':
    case 'python':
    case 'writefile':
    case 'env':
    case 'seldon':
      return joined(output.stdout, output.stderr);
  }
}
