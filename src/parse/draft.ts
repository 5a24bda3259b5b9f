/**
 * A step before it is typed: what a cell says to run, where, and how. Markdown and notebook cells both produce
 * drafts through the same cell readers; `toStep` then types the command, so every format yields the same steps.
 */
import type { CaptureArgs, Expected, Step, StepOptions } from '../model.js';
import { classifyCommand, classifyKubeGet } from './command.js';

export type DraftBody =
  /** A shell command line (from `!cmd`, a `$ cmd` prompt, a shell fence or a `%%bash` cell). */
  | { type: 'command' }
  /** Python we do not run: kept as a skipped shell step so the plan still shows it. */
  | { type: 'python' }
  | { type: 'capture'; capture: Omit<CaptureArgs, 'get'> };

export interface Draft {
  /** 1-based line where the command starts. */
  line: number;
  command: string;
  body: DraftBody;
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

export const PYTHON_NOTE = 'Python code: runbook runs only shell escapes (!cmd) and captures, so this cell is skipped';

/** Types a draft into a step. Never throws: what the classifier does not understand becomes a shell step. */
export function toStep(draft: Draft, ctx: DraftContext): Step {
  const base = {
    index: ctx.index,
    file: ctx.file,
    line: draft.line,
    command: draft.command,
    options: { ...ctx.options },
    ...(ctx.heading !== undefined && { heading: ctx.heading }),
    ...(ctx.prose !== undefined && { prose: ctx.prose }),
    ...(ctx.expected !== undefined && { expected: ctx.expected }),
  };
  switch (draft.body.type) {
    case 'python':
      return { ...base, options: { ...base.options, skip: true }, kind: 'shell', args: { script: draft.command }, note: PYTHON_NOTE };
    case 'capture': {
      const get = classifyKubeGet(draft.body.capture.command);
      return { ...base, kind: 'capture', args: { ...draft.body.capture, ...(get && { get }) } };
    }
    case 'command': {
      const typed = classifyCommand(draft.command);
      return { ...base, ...(typed.note !== undefined && { note: typed.note }), kind: typed.kind, args: typed.args } as Step;
    }
  }
}
