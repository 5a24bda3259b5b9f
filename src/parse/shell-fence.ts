/**
 * Console-style cells: ```sh / ```bash / ```console / ```shell fences, either a transcript with `$ ` prompts and
 * the output after each command, or plain commands whose output is in a following ```output fence.
 */
import { excerpt, InputError } from '../core/errors.js';
import type { Draft } from './draft.js';
import { trimBlankLines } from './lines.js';
import { continues, type CellSource } from './python-cell.js';

/** A command and, for transcripts, the indices of its output lines in the cell (inclusive; absent if none). */
export interface ShellCommand {
  draft: Draft;
  output?: { first: number; last: number };
}

const PROMPT = /^\$(?: |$)/;
const PROMPT_CONTINUATION = /^> ?/;

/** True when the fence is a transcript (some line starts with a `$ ` prompt). */
export function isTranscript(lines: readonly string[]): boolean {
  return lines.some((l) => PROMPT.test(l));
}

/** `$ cmd` lines, `\` and `> ` continuations, and output lines until the next prompt. */
export function transcript(cell: CellSource): ShellCommand[] {
  const { lines } = cell;
  const out: ShellCommand[] = [];
  let i = lines.findIndex((l) => PROMPT.test(l));
  while (i !== -1 && i < lines.length) {
    const start = i;
    let text = lines[i]!.replace(PROMPT, '');
    let last = lines[i]!;
    // A `\` continues the command; so does a `> ` secondary prompt while the command is unfinished (an open
    // quote, a heredoc, a trailing pipe). Otherwise a `> ` line is output, such as curl -v's request headers.
    while (continues(last) || (i + 1 < lines.length && PROMPT_CONTINUATION.test(lines[i + 1]!) && unfinished(text))) {
      if (i + 1 >= lines.length) {
        throw new InputError('broken continuation: the command ends with a backslash at the end of the block', cell.at(i, last.length));
      }
      i++;
      last = lines[i]!;
      text += '\n' + last.replace(PROMPT_CONTINUATION, '');
    }
    let end = i + 1;
    while (end < lines.length && !PROMPT.test(lines[end]!)) end++;
    let lastOut = end - 1;
    while (lastOut > i && lines[lastOut]!.trim() === '') lastOut--;
    if (text.trim() !== '') {
      const draft: Draft = { line: cell.lineOf(start), command: text.replace(/^[ \t]+/, ''), body: { type: 'command' } };
      out.push(lastOut > i ? { draft, output: { first: i + 1, last: lastOut } } : { draft });
    }
    i = end;
  }
  return out;
}

/** True when the shell would ask for more: an open quote, an open heredoc, or a trailing `|`, `&&` or `||`. */
export function unfinished(command: string): boolean {
  if (JOINS_NEXT.test(command)) return true;
  const heredoc = HEREDOC.exec(command);
  if (heredoc) {
    const word = heredoc[3]!;
    const after = command.slice(heredoc.index).split('\n').slice(1);
    if (!after.some((l) => (heredoc[1] ? l.replace(/^\t+/, '') : l) === word)) return true;
  }
  let quote = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
    } else if (c === '\\') {
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = '';
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(command[i - 1]!))) {
      // A comment runs to the end of its line; quotes in it do not count.
      const nl = command.indexOf('\n', i);
      i = nl === -1 ? command.length : nl;
    }
  }
  return quote !== '';
}

const COMPOUND = /^\s*(for|while|until|if|case|function|select)\b|^\s*[\w-]+\s*\(\)\s*\{?\s*$/;
const JOINS_NEXT = /(\|\||&&|\|)\s*$/;
const HEREDOC = /<<(-?)[ \t]*(['"]?)([A-Za-z_]\w*)\2/;

/**
 * Plain commands: one step per command line (continuations, pipelines ending in `|`/`&&` and heredocs kept
 * together); comments and blank lines are dropped. Compound shell (loops, conditionals) stays one script.
 */
export function plainCommands(cell: CellSource): ShellCommand[] {
  const { lines } = cell;
  const body = trimBlankLines(lines);
  if (body.length === 0) return [];
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (body.some((l) => COMPOUND.test(l))) {
    return [{ draft: { line: cell.lineOf(firstIndex), command: body.join('\n'), body: { type: 'command' } } }];
  }
  const out: ShellCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const start = i;
    let text = line;
    for (;;) {
      const current = lines[i]!;
      const heredoc = HEREDOC.exec(current);
      if (heredoc) {
        const [, dash, , word] = heredoc;
        const close = (l: string) => (dash ? l.replace(/^\t+/, '') : l) === word;
        let j = i + 1;
        while (j < lines.length && !close(lines[j]!)) j++;
        if (j >= lines.length) throw new InputError(`heredoc '${excerpt(word!)}' is not closed in this block; expected a line '${excerpt(word!)}'`, cell.at(i, heredoc.index + 1));
        text += '\n' + lines.slice(i + 1, j + 1).join('\n');
        i = j;
        break;
      }
      if (!continues(current) && !JOINS_NEXT.test(current)) break;
      if (i + 1 >= lines.length) {
        throw new InputError('broken continuation: the last command of the block ends with a backslash, a pipe or &&; add the rest of it', cell.at(i, current.trimEnd().length));
      }
      i++;
      text += '\n' + lines[i]!;
    }
    out.push({ draft: { line: cell.lineOf(start), command: text.replace(/^[ \t]+/, ''), body: { type: 'command' } } });
  }
  return out;
}
