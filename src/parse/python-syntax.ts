/**
 * Just enough of Python's lexical rules to tell, line by line, whether a line of a cell is still inside a Python
 * statement (an open bracket, a triple-quoted string, an indented block): such a line is Python even when it starts
 * with `!` or `%`, since IPython rewrites only lines that start a statement.
 */

export interface PythonState {
  /** Open brackets. */
  depth: number;
  /** The triple quote a string opened on an earlier line is waiting for, '' when none. */
  triple: '' | "'''" | '"""';
}

export const START: PythonState = { depth: 0, triple: '' };

/** The state after `line`, from the state before it. */
export function advance(state: PythonState, line: string): PythonState {
  let { depth, triple } = state;
  for (let i = 0; i < line.length; i++) {
    if (triple) {
      if (line.startsWith(triple, i)) {
        i += 2;
        triple = '';
      } else if (line[i] === '\\') i++;
      continue;
    }
    const c = line[i]!;
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const three = c.repeat(3);
      if (line.startsWith(three, i)) {
        triple = three as PythonState['triple'];
        i += 2;
        continue;
      }
      // A one-line string: skip to its close (an unclosed one is a syntax error Python reports itself).
      for (i++; i < line.length && line[i] !== c; i++) if (line[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  // An odd number of trailing backslashes joins the next line to this one.
  return { depth, triple };
}

/** True while a statement continues onto the next line. */
export function inside(state: PythonState): boolean {
  return state.depth > 0 || state.triple !== '';
}
