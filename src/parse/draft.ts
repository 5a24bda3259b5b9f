/**
 * A step before it is typed: what a cell says to run, where, and how. Markdown and notebook cells both produce
 * drafts through the same cell readers; `toStep` then types the command, so every format yields the same steps.
 */
import type { CaptureArgs, Expected, Step, StepOptions } from '../core/model.js';
import { InputError } from '../core/errors.js';
import { classifyCommand, classifyKubeGet } from './command.js';

export type DraftBody =
  /** A shell command line (from `!cmd`, a `$ cmd` prompt, a shell fence or a `%%bash` cell). */
  | { type: 'command' }
  /** Python for the runbook's kernel: `command` is the code. */
  | { type: 'python' }
  | { type: 'capture'; capture: Omit<CaptureArgs, 'get'> }
  /** `%%writefile [-a] PATH`. */
  | { type: 'writefile'; path: string; append: boolean; content: string }
  /** `%env NAME=VALUE`. */
  | { type: 'env'; name: string; value: string }
  /** A cell runbook does not run (an unknown cell magic): a skipped step that says why. */
  | { type: 'skip'; note: string };

export interface Draft {
  /** 1-based line where the command starts. */
  line: number;
  /** The command as written, as the plan shows it. */
  command: string;
  /** What bash should read when it differs from `command`: a `!` line after IPython's interpolation. */
  script?: string;
  body: DraftBody;
  /** A parser remark for the step (why a line runs in the kernel). */
  note?: string;
}

/** What the surrounding document adds to a draft. */
export interface DraftContext {
  index: number;
  file: string;
  options: StepOptions;
  expected?: Expected;
  heading?: string;
  prose?: string;
}

/**
 * More steps are refused: a 10 MB runbook of documentation has about 15,000, while two million one-line `!x`
 * commands would take seconds to type.
 */
export const MAX_STEPS = 50_000;

/**
 * Types a draft into a step. What the classifier does not understand becomes a shell step; the only error is a
 * runbook with more than MAX_STEPS steps.
 */
export function toStep(draft: Draft, ctx: DraftContext): Step {
  if (ctx.index >= MAX_STEPS) {
    throw new InputError(`more than ${MAX_STEPS.toLocaleString('en')} steps; split the runbook into smaller files`, { file: ctx.file, line: draft.line, column: 1 });
  }
  // Built field by field rather than by spreading: a large runbook types thousands of steps.
  let step: Step;
  const body = draft.body;
  switch (body.type) {
    case 'python':
      step = stepOf(draft, ctx, 'python', { code: draft.command });
      break;
    case 'skip':
      step = stepOf(draft, ctx, 'python', { code: draft.command });
      step.options.skip = true;
      step.note = body.note;
      break;
    case 'writefile':
      step = stepOf(draft, ctx, 'writefile', { path: body.path, append: body.append, content: body.content });
      break;
    case 'env':
      step = stepOf(draft, ctx, 'env', { name: body.name, value: body.value });
      break;
    case 'capture': {
      const get = classifyKubeGet(body.capture.command);
      step = stepOf(draft, ctx, 'capture', get ? { ...body.capture, get } : { ...body.capture });
      break;
    }
    case 'command': {
      const typed = classifyCommand(draft.script ?? draft.command);
      step = stepOf(draft, ctx, typed.kind, typed.args as never);
      if (typed.note !== undefined) step.note = typed.note;
      break;
    }
  }
  if (draft.note !== undefined) step.note = step.note === undefined ? draft.note : `${draft.note}; ${step.note}`;
  if (ctx.heading !== undefined) step.heading = ctx.heading;
  if (ctx.prose !== undefined) step.prose = ctx.prose;
  if (ctx.expected !== undefined) step.expected = ctx.expected;
  return step;
}

function stepOf<K extends Step['kind']>(draft: Draft, ctx: DraftContext, kind: K, args: Extract<Step, { kind: K }>['args']): Step {
  return { index: ctx.index, file: ctx.file, line: draft.line, command: draft.command, options: { ...ctx.options }, kind, args } as Step;
}
