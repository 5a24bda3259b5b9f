/**
 * A Jupyter code cell as nbconvert exports it: `!cmd` shell escapes, and the IPython capture glue
 * (`VAR=!cmd`, `VAR=VAR[0]`, `import os`, `os.environ['VAR'] = VAR`, a trailing bare `VAR`).
 * Anything else is Python we do not run; the cell then becomes one skipped step rather than an error.
 */
import { InputError, type SourcePosition } from '../core/errors.js';
import type { Draft } from './draft.js';
import { trimBlankLines } from './lines.js';

/** The lines of one cell and where each sits in the source. */
export interface CellSource {
  lines: readonly string[];
  /** 1-based source line of `lines[i]`. */
  lineOf(i: number): number;
  /** Source position of 1-based `column` in `lines[i]`. */
  at(i: number, column: number): SourcePosition;
}

interface Logical {
  first: number;
  text: string;
}

/** Joins backslash-newline continuations; a backslash on the cell's last line is an error. */
export function logicalLines(cell: CellSource): Logical[] {
  const out: Logical[] = [];
  const { lines } = cell;
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let text = lines[i]!;
    while (continues(lines[i]!)) {
      if (i + 1 >= lines.length) {
        throw new InputError('broken continuation: the last line of the cell ends with a backslash; remove it or add the rest of the command', cell.at(i, lines[i]!.length));
      }
      i++;
      text += '\n' + lines[i]!;
    }
    out.push({ first, text });
  }
  return out;
}

/** An odd number of trailing backslashes escapes the newline. */
export function continues(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

const BANG = /^!/;
const ASSIGN = /^([A-Za-z_]\w*)[ \t]*=[ \t]*!/;
const FIRST = /^([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_]\w*)\[0\][ \t]*$/;
const IMPORT_OS = /^import[ \t]+os[ \t]*$/;
const EXPORT = /^os\.environ\[[ \t]*(['"])([A-Za-z_]\w*)\1[ \t]*\][ \t]*=[ \t]*([A-Za-z_]\w*)[ \t]*$/;
const BARE = /^([A-Za-z_]\w*)[ \t]*$/;
const CELL_MAGIC = /^%%(bash|sh)[ \t]*$/;

/** The steps of one code cell, in order; empty for an empty cell. */
export function pythonCell(cell: CellSource): Draft[] {
  const { lines } = cell;
  const firstCode = lines.findIndex((l) => l.trim() !== '');
  if (firstCode === -1) return [];
  if (CELL_MAGIC.test(lines[firstCode]!)) return bashMagic(cell, firstCode);

  const logical = logicalLines(cell);
  const drafts: Draft[] = [];
  type Capture = Extract<Draft['body'], { type: 'capture' }>['capture'] & { draft: Draft };
  // By variable: glue lines refer to the latest capture of a name (a cell may capture the same name twice).
  const captures = new Map<string, Capture>();
  const all: Capture[] = [];
  const lastCode = logical.findLastIndex((l) => l.text.trim() !== '' && !l.text.trimStart().startsWith('#'));
  let python = false;

  logical.forEach((l, n) => {
    const { text } = l;
    if (python || text.trim() === '' || /^[ \t]*#/.test(text)) return;
    let m: RegExpExecArray | null;
    if (BANG.test(text)) {
      drafts.push({ line: cell.lineOf(l.first), command: stripLeading(text.slice(1)), body: { type: 'command' } });
    } else if ((m = ASSIGN.exec(text))) {
      const variable = m[1]!;
      const capture = { variable, command: stripLeading(text.slice(m[0].length)), firstLine: false, exported: false, displayed: false };
      const draft: Draft = { line: cell.lineOf(l.first), command: text, body: { type: 'capture', capture } };
      drafts.push(draft);
      const entry = Object.assign(capture, { draft });
      captures.set(variable, entry);
      all.push(entry);
    } else if ((m = FIRST.exec(text)) && m[1] === m[2] && captures.has(m[1]!)) {
      glue(captures.get(m[1]!)!, text).firstLine = true;
    } else if (IMPORT_OS.test(text)) {
      // Needed by the os.environ line; nothing to run.
    } else if ((m = EXPORT.exec(text)) && m[2] === m[3] && captures.has(m[3]!)) {
      glue(captures.get(m[3]!)!, text).exported = true;
    } else if ((m = BARE.exec(text)) && n === lastCode && captures.has(m[1]!)) {
      glue(captures.get(m[1]!)!, text).displayed = true;
    } else {
      python = true;
    }
  });
  if (python) {
    const source = trimBlankLines(lines);
    return [{ line: cell.lineOf(firstCode), command: source.join('\n'), body: { type: 'python' } }];
  }
  // The capture objects carry a back-reference for gluing; the plan must hold only the CaptureArgs fields.
  for (const c of all) {
    const { draft, ...capture } = c;
    draft.body = { type: 'capture', capture };
  }
  return drafts;
}

/** Appends a glue line to its capture's command text, so the step shows everything that defines it. */
function glue<T extends { draft: Draft }>(capture: T, text: string): T {
  capture.draft.command += '\n' + text;
  return capture;
}

/** `%%bash` runs the rest of the cell as one script. */
function bashMagic(cell: CellSource, magicLine: number): Draft[] {
  const rest = cell.lines.slice(magicLine + 1);
  const first = rest.findIndex((l) => l.trim() !== '');
  if (first === -1) return [];
  return [{ line: cell.lineOf(magicLine + 1 + first), command: trimBlankLines(rest).join('\n'), body: { type: 'command' } }];
}

function stripLeading(text: string): string {
  return text.replace(/^[ \t]+/, '');
}
