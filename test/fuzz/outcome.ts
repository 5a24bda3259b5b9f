/**
 * The fuzz oracle: what every input must end in. In-process, `parseRunbook` returns a plan (which `list` then
 * prints and `check` lints) or throws an InputError that points into the file; through the CLI, the exit code is
 * 0, 1 or 2 and the output is plain located text. Anything else, or taking longer than the limit, is a failure.
 */
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/core/errors.js';
import { parseRunbook } from '../../src/parse/index.js';
import { lintRunbook } from '../../src/commands/check-rules.js';
import { planJson, planTable } from '../../src/commands/list.js';
import { createStyle } from '../../src/ui/style.js';
import type { Plan } from '../../src/core/model.js';
import { limitNowMs } from './budget.js';
import type { FuzzInput } from './mutate.js';

/** Inputs are named as if they sat next to the istio runbook, so `check` resolves its kustomize folders. */
export const runbooksDir = fileURLToPath(new URL('../../runbooks/', import.meta.url));

/** Longest error message we accept: a message quoting a 10 MB line is no clear error. */
export const MAX_MESSAGE = 400;

export type Outcome = { kind: 'plan'; plan: Plan; ms: number } | { kind: 'error'; error: InputError; ms: number };

/** A broken promise of the oracle, with the input that broke it. */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

/** Lines in the file as the parser counts them (CRLF and LF alike). */
function lineCount(bytes: Buffer): number {
  let n = 1;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Checks that an InputError is a clear, located, one-line message about `file`. */
export function checkInputError(error: InputError, file: string, bytes: Buffer, how: string): void {
  const fail = (why: string) => new FuzzFailure(`${why}\n  input: ${how}\n  error: ${error.format().slice(0, 500)}`);
  const p = error.position;
  if (!p) throw fail('InputError without a position');
  if (p.file !== file) throw fail(`error names ${p.file}, not ${file}`);
  if (!Number.isInteger(p.line) || p.line < 1 || p.line > lineCount(bytes)) throw fail(`line ${p.line} is outside the file (${lineCount(bytes)} lines)`);
  if (!Number.isInteger(p.column) || p.column < 1) throw fail(`column ${p.column} is not a column`);
  if (error.message.trim() === '') throw fail('empty message');
  if (/[\n\r]/.test(error.message)) throw fail('message spans several lines');
  if (error.message.length > MAX_MESSAGE) throw fail(`message is ${error.message.length} characters long`);
  if (/\n\s+at /.test(error.format())) throw fail('message holds a stack trace');
  // Half a surrogate pair is printed as U+FFFD: the message would not say what the file holds.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(error.message)) throw fail('message holds half a character');
}

/**
 * Parses `input` as `list` and `check` would, then renders the plan as `list` does and lints it as `check` does.
 * Throws FuzzFailure for anything but a plan or a clear InputError, or when it took longer than the limit.
 */
export function outcomeOf(input: FuzzInput): Outcome {
  const file = runbooksDir + input.name;
  const start = performance.now();
  let outcome: Outcome;
  try {
    const plan = parseRunbook(file, input.bytes);
    JSON.stringify(planJson(plan));
    planTable(plan, 100, createStyle(false));
    lintRunbook(plan, input.bytes.toString('utf8').replace(/^\uFEFF/, ''));
    outcome = { kind: 'plan', plan, ms: performance.now() - start };
  } catch (error) {
    if (!(error instanceof InputError)) {
      const what = error instanceof Error ? (error.stack ?? error.message) : String(error);
      throw new FuzzFailure(`crash: not an InputError\n  input: ${input.how}\n  ${what.split('\n').slice(0, 8).join('\n  ')}`);
    }
    checkInputError(error, file, input.bytes, input.how);
    outcome = { kind: 'error', error, ms: performance.now() - start };
  }
  const limit = limitNowMs();
  if (outcome.ms > limit) throw new FuzzFailure(`took ${outcome.ms.toFixed(0)} ms (limit ${limit} ms at this load)\n  input: ${input.how}`);
  return outcome;
}
