/**
 * `<!-- runbook: skip timeout=60s expect=ignore -->`: an HTML comment directly before a cell (blank lines may
 * separate them) sets that cell's step options without changing what readers of the page see.
 */
import type { StepOptions } from '../core/model.js';
import { InputError } from '../core/errors.js';
import { applyOption, OptionError } from './step-options.js';

const OPEN = /^ {0,3}<!--\s*runbook\s*:/;

/** A directive must come right before a code cell; `found` says what came instead. */
export function misplacedDirective(file: string, line: number, found: string, column = 1): InputError {
  return new InputError(`runbook directive is not followed by a code cell (\`\`\`python, \`\`\`sh …); found ${found} instead`, { file, line, column });
}

/** True when `line` starts a runbook directive (so other HTML comments stay prose). */
export function isDirective(line: string): boolean {
  return OPEN.test(line);
}

/**
 * Where a parse puts the problems it can step over (a bad directive token, a misplaced directive) so that
 * `check` reports them all; without one, the first is thrown.
 */
export type Problems = (error: InputError) => void;

export const throwProblem: Problems = (error) => {
  throw error;
};

/**
 * Parses the directive on `line` (1-based `lineNo`). A bad token is an InputError at that token, given to
 * `problems` (the other tokens still apply) or thrown.
 */
export function parseDirective(file: string, line: string, lineNo: number, problems: Problems = throwProblem): StepOptions {
  const open = OPEN.exec(line)!;
  const start = open[0].length;
  const close = line.indexOf('-->', start);
  if (close === -1) {
    throw new InputError("runbook directive is not closed on its line; expected '<!-- runbook: OPTION … -->'", {
      file,
      line: lineNo,
      column: open[0].indexOf('<') + 1,
    });
  }
  const rest = line.slice(close + 3);
  if (rest.trim() !== '') {
    throw new InputError('unexpected text after the runbook directive; put the directive on a line of its own', {
      file,
      line: lineNo,
      column: close + 4 + (rest.length - rest.trimStart().length),
    });
  }
  const options: StepOptions = {};
  const tokens = /[^\s,]+/g;
  const body = line.slice(start, close);
  let any = false;
  for (let m = tokens.exec(body); m; m = tokens.exec(body)) {
    any = true;
    try {
      applyOption(options, m[0]);
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      problems(new InputError(error.message, { file, line: lineNo, column: start + m.index + error.offset + 1 }));
    }
  }
  if (!any) {
    throw new InputError('empty runbook directive; expected options such as skip, timeout=60s, expect=ignore', {
      file,
      line: lineNo,
      column: start + 1,
    });
  }
  return options;
}
