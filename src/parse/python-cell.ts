/**
 * A Jupyter code cell (or a ```python fence of its nbconvert export), read as IPython reads it, into steps in order:
 * - each `!cmd` line that starts a statement is a shell command, typed like any other (IPython's interpolation of
 *   `{name}` and `$name` made into bash text by ipython-interpolate.ts), so it keeps its native runner;
 * - the capture glue (`VAR=!cmd`, `VAR=VAR[0]`, `import os`, `os.environ['VAR'] = VAR`, a trailing bare `VAR`) is a
 *   capture step;
 * - `%env NAME=VALUE` is an env step; `%%bash`, `%%sh` and `%%writefile` cells are cell-magic.ts's;
 * - every other run of lines (statements, line magics, `!` lines inside a block or a bracket) is one `python` step
 *   for the runbook's kernel.
 * A cell of Python only is one `python` step; a mixed cell runs Python, then `!kubectl …` natively, then Python.
 */
import { InputError, type SourcePosition } from '../core/errors.js';
import { cellMagic, envMagic } from './cell-magic.js';
import type { Draft } from './draft.js';
import { interpolate } from './ipython-interpolate.js';
import { trimBlankLines } from './lines.js';
import { advance, inside, START, type PythonState } from './python-syntax.js';

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

const BANG = /^!(?!!)/;
const ASSIGN = /^([A-Za-z_]\w*)[ \t]*=[ \t]*!/;
const FIRST = /^([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_]\w*)\[0\][ \t]*$/;
const IMPORT_OS = /^import[ \t]+os[ \t]*$/;
const EXPORT = /^os\.environ\[[ \t]*(['"])([A-Za-z_]\w*)\1[ \t]*\][ \t]*=[ \t]*([A-Za-z_]\w*)[ \t]*$/;
const BARE = /^([A-Za-z_]\w*)[ \t]*$/;
const COMMENT = /^[ \t]*#/;

type Capture = Extract<Draft['body'], { type: 'capture' }>['capture'] & { draft: Draft };

/** Consecutive Python lines waiting to become one step. */
interface Chunk {
  first: number;
  lines: string[];
  note?: string;
}

// Names a Python line binds: `a = …`, `a, b = …`, `for a in …`, `def a(`, `import a`, `… as a`.
const BINDS = /^[ \t]*([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*=(?!=)|^[ \t]*for[ \t]+([\w, \t]+?)[ \t]+in\b|^[ \t]*(?:def|class)[ \t]+([A-Za-z_]\w*)|^[ \t]*import[ \t]+([\w.]+)|\bas[ \t]+([A-Za-z_]\w*)/;

/** Adds the names `line` binds in Python to `defined`. */
function bind(defined: Set<string>, line: string): void {
  const m = BINDS.exec(line);
  const names = m && (m[1] ?? m[2] ?? m[3] ?? m[4]?.split('.')[0] ?? m[5]);
  for (const name of names?.split(',') ?? []) if (name.trim() !== '') defined.add(name.trim());
}

/**
 * The steps of one code cell, in order; empty for an empty cell. `defined` holds the Python names the runbook's
 * earlier cells bound (a `{name}` in a `!` line is only expanded when bound); this cell's bindings are added to it.
 */
export function pythonCell(cell: CellSource, defined: Set<string> = new Set()): Draft[] {
  const { lines } = cell;
  const firstCode = lines.findIndex((l) => l.trim() !== '');
  if (firstCode === -1) return [];
  const magic = cellMagic(cell, firstCode);
  if (magic) return magic;

  const logical = logicalLines(cell);
  const drafts: Draft[] = [];
  /** The drafts of `import os` lines met outside Python: glue, unless the cell runs Python anyway. */
  const imports = new Map<Draft, true>();
  // By variable: glue lines refer to the latest capture of a name (a cell may capture the same name twice).
  const captures = new Map<string, Capture>();
  const all: Capture[] = [];
  const lastCode = logical.findLastIndex((l) => l.text.trim() !== '' && !COMMENT.test(l.text));
  let chunk: Chunk | undefined;
  let state: PythonState = START;

  const python = (l: Logical) => {
    chunk ??= { first: l.first, lines: [] };
    chunk.lines.push(l.text);
    bind(defined, l.text);
    // Only Python opens brackets and strings that carry over: a shell line's quotes are the shell's.
    state = advance(state, l.text);
  };
  const flush = () => {
    if (chunk) drafts.push(pythonDraft(cell, chunk));
    chunk = undefined;
  };

  logical.forEach((l, n) => {
    const { text } = l;
    const continued = inside(state) || (chunk !== undefined && /^[ \t]/.test(text));
    if (continued) return python(l);
    if (text.trim() === '' || COMMENT.test(text)) {
      // Blank lines and comments belong to the Python around them; elsewhere they run nothing.
      if (chunk) chunk.lines.push(text);
      return;
    }
    let m: RegExpExecArray | null;
    if (BANG.test(text)) {
      const command = stripLeading(text.slice(1));
      const expanded = interpolate(command, defined);
      if (expanded.type === 'kernel') {
        python(l);
        chunk!.note ??= `{${expanded.expression}} needs Python to evaluate: the line runs in the kernel`;
        return;
      }
      flush();
      drafts.push({ line: cell.lineOf(l.first), command, ...(expanded.script !== command && { script: expanded.script }), body: { type: 'command' } });
    } else if ((m = ASSIGN.exec(text))) {
      const command = stripLeading(text.slice(m[0].length));
      const expanded = interpolate(command, defined);
      if (expanded.type === 'kernel') return python(l);
      flush();
      const variable = m[1]!;
      defined.add(variable);
      const capture = { variable, command: expanded.script, firstLine: false, exported: false, displayed: false };
      const draft: Draft = { line: cell.lineOf(l.first), command: text, body: { type: 'capture', capture } };
      drafts.push(draft);
      const entry = Object.assign(capture, { draft });
      captures.set(variable, entry);
      all.push(entry);
    } else if ((m = FIRST.exec(text)) && m[1] === m[2] && captures.has(m[1]!)) {
      glue(captures.get(m[1]!)!, text).firstLine = true;
    } else if (IMPORT_OS.test(text) && !chunk) {
      flush();
      const draft = pythonDraft(cell, { first: l.first, lines: [text] });
      drafts.push(draft);
      imports.set(draft, true);
    } else if ((m = EXPORT.exec(text)) && m[2] === m[3] && captures.has(m[3]!)) {
      glue(captures.get(m[3]!)!, text).exported = true;
    } else if ((m = BARE.exec(text)) && n === lastCode && captures.has(m[1]!)) {
      glue(captures.get(m[1]!)!, text).displayed = true;
    } else {
      const env = envMagic(text, cell.lineOf(l.first));
      if (env) {
        flush();
        drafts.push(env);
      } else {
        python(l);
      }
    }
  });
  flush();
  // The capture objects carry a back-reference for gluing; the plan must hold only the CaptureArgs fields.
  for (const c of all) {
    const { draft, ...capture } = c;
    draft.body = { type: 'capture', capture };
  }
  // `import os` serves the glue; in a cell that runs other Python it is Python, where later cells may rely on it.
  const runsPython = drafts.some((d) => d.body.type === 'python' && !imports.has(d));
  return runsPython ? drafts : drafts.filter((d) => !imports.has(d));
}

function pythonDraft(cell: CellSource, chunk: Chunk): Draft {
  const draft: Draft = { line: cell.lineOf(chunk.first), command: trimBlankLines(chunk.lines).join('\n'), body: { type: 'python' } };
  if (chunk.note !== undefined) draft.note = chunk.note;
  return draft;
}

/** Appends a glue line to its capture's command text, so the step shows everything that defines it. */
function glue<T extends { draft: Draft }>(capture: T, text: string): T {
  capture.draft.command += '\n' + text;
  return capture;
}

function stripLeading(text: string): string {
  return text.replace(/^[ \t]+/, '');
}
