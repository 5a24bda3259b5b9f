/** Test helper: a plan without what depends on the file's layout (names, lines, where outputs sit). */
import { expect } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Plan } from '../../src/core/model.js';
import { parseRunbook } from '../../src/parse/index.js';

export function planShape(plan: Plan) {
  return {
    frontMatter: plan.frontMatter,
    steps: plan.steps.map(({ file: _file, line: _line, expected, ...rest }) => ({ ...rest, expected: expected?.text })),
  };
}

/** The text a Markdown expected location points at, de-indented: must equal `expected.text`. */
export function textAt(source: string, location: { startLine: number; endLine: number; indent: string }): string {
  const lines = source.split('\n').map((l) => l.replace(/\r$/, ''));
  return lines
    .slice(location.startLine - 1, location.endLine)
    .map((l) => (l.trim() === '' ? '' : l.slice(location.indent.length)))
    .join('\n');
}

/** The `file:line:column: message` an input fails with; throws if it parses. */
export function failure(text: string | Buffer, file: string): string {
  try {
    parseRunbook(file, text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).format();
  }
  throw new Error('parsed without error');
}
