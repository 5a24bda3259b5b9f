/**
 * IPython's magics in notebook cells: `%%bash` / `%%sh` cells run as shell, `%%writefile [-a] PATH` writes its body,
 * `%env NAME=VALUE` sets a variable. Other magics are IPython's: a line magic is a Python line for the kernel, a
 * cell magic runbook does not know is a skipped step that says so.
 */
import type { Draft } from './draft.js';
import { interpolateText } from './ipython-interpolate.js';
import { trimBlankLines } from './lines.js';
import type { CellSource } from './python-cell.js';

const CELL_MAGIC = /^%%([\w-]+)[ \t]*(.*)$/;
const ENV = /^%env(?:[ \t]+(.*))?$/;

/** The steps of a cell whose first code line is a cell magic; undefined when it is none. */
export function cellMagic(cell: CellSource, magicLine: number): Draft[] | undefined {
  const m = CELL_MAGIC.exec(cell.lines[magicLine]!);
  if (!m) return undefined;
  const [, name = '', args = ''] = m;
  const rest = cell.lines.slice(magicLine + 1);
  const body = trimBlankLines(rest);
  const line = cell.lineOf(magicLine);
  switch (name) {
    case 'bash':
    case 'sh': {
      // The body is bash's, not IPython's: no interpolation.
      const first = rest.findIndex((l) => l.trim() !== '');
      if (first === -1) return [];
      return [{ line: cell.lineOf(magicLine + 1 + first), command: body.join('\n'), body: { type: 'command' } }];
    }
    case 'writefile': {
      const words = args.trim().split(/[ \t]+/);
      const append = words[0] === '-a' || words[0] === '--append';
      const path = unquote((append ? words.slice(1) : words).join(' '));
      if (path === '') return [skipped(cell, magicLine, '%%writefile without a file name: the cell is skipped')];
      const target = interpolateText(path);
      if (target === undefined) return [{ line, command: cell.lines.slice(magicLine).join('\n').replace(/\n+$/, ''), body: { type: 'python' } }];
      // IPython writes the cell's text as the kernel received it: the lines after the magic, ending in a newline.
      const text = rest.join('\n');
      const content = text === '' || text.endsWith('\n') ? text : text + '\n';
      return [{ line, command: cell.lines.slice(magicLine).join('\n').replace(/\n+$/, ''), body: { type: 'writefile', path: target, append, content } }];
    }
    default:
      return [skipped(cell, magicLine, `cell magic %%${name}: runbook runs %%bash, %%sh and %%writefile cells only, so this cell is skipped`)];
  }
}

function skipped(cell: CellSource, magicLine: number, note: string): Draft {
  const source = trimBlankLines(cell.lines.slice(magicLine)).join('\n');
  return { line: cell.lineOf(magicLine), command: source, body: { type: 'skip', note } };
}

/**
 * `%env NAME=VALUE` (or `%env NAME VALUE`) as an env step; undefined for the other forms (`%env`, `%env NAME`),
 * which print and are the kernel's. The value is interpolated as IPython does a magic's arguments.
 */
export function envMagic(text: string, line: number): Draft | undefined {
  const m = ENV.exec(text.trimEnd());
  const parameter = m?.[1]?.trim();
  if (!parameter) return undefined;
  // IPython splits on the first `=` when there is one, else on the first space.
  const at = parameter.includes('=') ? parameter.indexOf('=') : parameter.search(/[ \t]/);
  if (at <= 0) return undefined;
  const name = parameter.slice(0, at).trim();
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const value = interpolateText(parameter.slice(at + 1).trim());
  return value === undefined ? undefined : { line, command: text.trimEnd(), body: { type: 'env', name, value } };
}

function unquote(text: string): string {
  const m = /^(['"])(.*)\1$/.exec(text);
  return m ? m[2]! : text;
}
