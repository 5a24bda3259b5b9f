/**
 * The `python` step: a notebook cell's Python, run in the runbook's kernel (steps/python/), where globals persist
 * from cell to cell. stdout gets what the cell printed, then the text/plain of its trailing expression, as a
 * notebook records it; an exception prints a short traceback on stderr and fails the step (exit 1).
 *
 * Variables cross both ways. Before the cell, every runbook variable goes into os.environ, and those that are
 * the runbook's own (not inherited from the process environment) also become globals when their name is an
 * identifier not starting with `_` and not already bound to something else than a str. After it, the step
 * returns as variables the globals the cell bound to a new str, int or float value (any name not starting with
 * `_`; at most 32 KiB of text) and the os.environ entries it set or changed.
 */
import type { StepContext, StepOutput, StepRunner } from '../src/core/step.js';
import type { CellOutcome, CellRequest } from './python/kernel.js';
import { kernelSlot } from './python/slot.js';

export const python: StepRunner<'python'> = {
  async run(args, ctx) {
    const slot = kernelSlot(ctx.cache);
    const acquired = await slot.acquire(ctx);
    if (acquired.type === 'skip') return { stdout: '', stderr: '', exitCode: 0, skipped: acquired.why };
    if (acquired.type === 'failed') return { stdout: '', stderr: `runbook: ${acquired.why}\n`, exitCode: 1 };
    if (acquired.note) ctx.write('stderr', acquired.note);
    const outcome = await acquired.kernel.run(request(args.code, ctx), ctx.signal, (stream, text) => ctx.write(stream, text));
    if (outcome.type === 'lost') slot.forget(outcome.why);
    return output(outcome, acquired.note ?? '');
  },
};

function request(code: string, ctx: StepContext): CellRequest {
  const globals: Record<string, string> = {};
  // The process environment stays in os.environ only: PATH or HOME as globals would be noise.
  for (const [name, value] of Object.entries(ctx.vars)) if (process.env[name] !== value) globals[name] = value;
  return { code, env: { ...ctx.vars }, globals };
}

function output(outcome: CellOutcome, note: string): StepOutput {
  const stdout = outcome.stdout.text;
  // A flood of output says in the text itself what it dropped (capture.ts).
  let stderr = note + outcome.stderr.text;
  if (outcome.type === 'lost') {
    stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}runbook: ${outcome.why}\n`;
    return { stdout, stderr, exitCode: 137, diagnostics: [outcome.why] };
  }
  const vars = Object.keys(outcome.vars).length ? { vars: outcome.vars } : {};
  return { stdout, stderr, exitCode: outcome.ok ? 0 : 1, ...vars };
}
