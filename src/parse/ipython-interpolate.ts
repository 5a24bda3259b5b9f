/**
 * IPython's interpolation of a `!` line (and of a line magic's arguments), turned at parse time into the bash text
 * that runs the same way, so a notebook's `!kubectl …` keeps its typed runner.
 *
 * IPython expands a `!` line before any shell sees it (InteractiveShell.var_expand with its DollarFormatter):
 * - `{expr}` is evaluated as Python anywhere in the line, inside quotes too; `{{` and `}}` are literal braces;
 * - `$name` (and `$a.b`) is looked up outside single quotes only (IPython counts the quotes after it); `$$name` is
 *   a literal `$name`, which the shell then expands;
 * - if any of them fails (an unknown name, a `{` that is not Python, such as a JSON payload), the whole line goes to
 *   the shell exactly as written, escapes and all.
 * A runbook's variables are strings known only at run time, so a name becomes a `${name}` reference placed where
 * bash expands it (a reference inside single quotes closes and reopens them), and the runner's bash rule does the
 * rest (see src/core/vars.ts). A `{name}` counts as defined when the runbook assigned it in Python before the line
 * (a capture, an assignment, a loop variable: `defined`); any other makes IPython leave the whole line to the shell,
 * and so does runbook (curl's `-w '%{http_code}'` stays as written). One thing differs: a value is one word (IPython
 * pastes its text, which the shell splits). An expression other than a plain name (`{a[0]}`, `{m.name}`, `{n//4}`)
 * needs Python: the line is then the kernel's to run.
 */

export type Interpolated =
  /** What bash should read; equal to the line when there is nothing to expand. */
  | { type: 'shell'; script: string }
  /** The line needs Python to evaluate `expression`. */
  | { type: 'kernel'; expression: string };

type Piece = { type: 'text'; text: string } | { type: 'name'; name: string } | { type: 'expr'; text: string };

const NAME = /^[A-Za-z_]\w*$/;
const WORD = /[\w.]/;

/**
 * IPython's `$` fields, as its pattern `(.*?)\$(\$?[\w.]+)(?=(?:[^']*'[^']*')*[^']*$)` finds them: a `$` (or `$$`)
 * and a run of word characters and dots, with an even number of single quotes after it in the same literal piece.
 * The pattern itself is quadratic (its lookahead rescans the rest of the line at every `$`: a minute for a line of
 * 100,000 `$`s); this is the same search in one pass, with the quotes after each position counted once.
 */
export function dollarMatches(literal: string): { before: string; field: string; end: number }[] {
  const quotesAfter = new Uint32Array(literal.length + 1);
  for (let i = literal.length - 1; i >= 0; i--) quotesAfter[i] = quotesAfter[i + 1]! + (literal[i] === "'" ? 1 : 0);
  const out: { before: string; field: string; end: number }[] = [];
  let from = 0;
  for (let d = literal.indexOf('$'); d !== -1; d = literal.indexOf('$', d + 1)) {
    const start = literal[d + 1] === '$' ? d + 2 : d + 1;
    let end = start;
    while (end < literal.length && WORD.test(literal[end]!)) end++;
    // Quotes cannot sit inside the field, so a shorter field would leave the same count after it.
    if (end === start || quotesAfter[end]! % 2 !== 0) continue;
    out.push({ before: literal.slice(from, d), field: literal.slice(d + 1, end), end });
    from = end;
    d = end - 1;
  }
  return out;
}

/** The line as bash should run it, or why it needs the kernel. */
export function interpolate(line: string, defined?: ReadonlySet<string>): Interpolated {
  if (!/[{}$]/.test(line)) return { type: 'shell', script: line };
  const pieces = formatPieces(line, defined);
  // A `{` IPython cannot evaluate makes it give up on the whole line.
  if (pieces === undefined) return { type: 'shell', script: line };
  const expr = pieces.find((p) => p.type === 'expr');
  if (expr?.type === 'expr') return { type: 'kernel', expression: expr.text };
  return { type: 'shell', script: toBash(pieces) };
}

/**
 * A magic's argument (a `%env` value, a `%%writefile` path) after IPython's interpolation, as runbook Text: names
 * become `${name}`, every other `$` is literal (`$$`); undefined when it needs the kernel. No shell reads it, so
 * quotes are plain characters.
 */
export function interpolateText(text: string): string | undefined {
  const pieces = /[{}$]/.test(text) ? formatPieces(text) : [{ type: 'text', text } as const];
  if (pieces === undefined) return text.replaceAll('$', '$$$$');
  let out = '';
  for (const piece of pieces) {
    if (piece.type === 'expr') return undefined;
    out += piece.type === 'name' ? '${' + piece.name + '}' : piece.text.replaceAll('$', '$$$$');
  }
  return out;
}

/** Python's str.format fields and IPython's `$name`s, in order; undefined where IPython's expansion would fail. */
function formatPieces(line: string, defined?: ReadonlySet<string>): Piece[] | undefined {
  const pieces: Piece[] = [];
  let literal = '';
  const flush = () => {
    pieces.push(...dollarPieces(literal));
    literal = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '}') {
      if (line[i + 1] !== '}') return undefined;
      literal += '}';
      i++;
    } else if (c === '{') {
      if (line[i + 1] === '{') {
        literal += '{';
        i++;
        continue;
      }
      const end = fieldEnd(line, i);
      if (end === undefined) return undefined;
      const field = line.slice(i + 1, end);
      const piece = fieldPiece(field);
      if (piece === undefined) return undefined;
      // An unknown name is IPython's NameError: the line goes to the shell as written.
      if (piece.type === 'name' && defined !== undefined && !defined.has(piece.name)) return undefined;
      // `${NAME}` reads as the shell's reference: IPython gives `$` and the value of a Python NAME, or, when there is
      // none, leaves the line to the shell, which reads `${NAME}`; a runbook's variables are both.
      if (piece.type === 'name' && literal.endsWith('$') && !literal.endsWith('$$')) literal = literal.slice(0, -1);
      flush();
      pieces.push(piece);
      i = end;
    } else {
      literal += c;
    }
  }
  flush();
  return pieces;
}

/** Index of the `}` closing the field opened at `open`, nested brackets and quotes skipped. */
function fieldEnd(line: string, open: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = open + 1; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return undefined;
}

/** A `{field}`: a name, another Python expression, or undefined when Python would reject it. */
function fieldPiece(field: string): Piece | undefined {
  const text = field.trim();
  if (NAME.test(text)) return { type: 'name', name: text };
  // Empty fields take positional arguments IPython never passes; a top-level `:` (a JSON payload's `"key": …`) is
  // not Python: both make IPython leave the line alone.
  if (text === '' || topLevelColon(text) || !pythonLooking(text)) return undefined;
  return { type: 'expr', text };
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'lambda', 'None', 'True', 'False']);

/**
 * False for text Python cannot evaluate that a shell line often holds in braces: awk's `{print $1}`, a brace group,
 * words side by side with no operator between them.
 */
function pythonLooking(text: string): boolean {
  // A jsonpath (`{.items[0].ip}`) starts with what no Python expression starts with.
  if (!/^[\w([{"'~+-]/.test(text)) return false;
  const bare = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  if (/[$;`]/.test(bare)) return false;
  for (const m of bare.matchAll(/([\w)\]"]+)\s+(?=([\w(["]+))/g)) {
    const left = /\w+$/.exec(m[1]!)?.[0];
    const right = /^\w+/.exec(m[2]!)?.[0];
    if (!(left !== undefined && KEYWORDS.has(left)) && !(right !== undefined && KEYWORDS.has(right))) return false;
  }
  return true;
}

function topLevelColon(text: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('[({'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ':' && depth === 0 && text[i + 1] !== '=') return true;
  }
  return false;
}

/** `$name` references in a literal piece, as IPython finds them. */
function dollarPieces(literal: string): Piece[] {
  if (literal === '') return [];
  const out: Piece[] = [];
  let text = '';
  let from = 0;
  for (const m of dollarMatches(literal)) {
    const { before, field } = m;
    from = m.end;
    if (field.startsWith('$')) {
      // `$$name` is IPython's escape: a literal `$name` for the shell.
      text += before + field;
      continue;
    }
    // `$a.b` is attribute access in Python; on a string variable it fails and the shell sees `$a.b`, which is
    // `${a}.b`. A dot ending the match (`$NAME.`) is punctuation either way.
    const [name = '', ...rest] = field.split('.');
    out.push({ type: 'text', text: text + before });
    text = '';
    out.push({ type: 'name', name });
    if (rest.length > 0) text += '.' + rest.join('.');
  }
  text += literal.slice(from);
  if (text !== '') out.push({ type: 'text', text });
  return out;
}

/** Joins the pieces into bash text, each reference placed where bash expands it. */
function toBash(pieces: readonly Piece[]): string {
  let out = '';
  let quote: '' | "'" | '"' | "$'" = '';
  for (const piece of pieces) {
    if (piece.type === 'name') {
      const ref = '${' + piece.name + '}';
      out += quote === "'" || quote === "$'" ? `'"${ref}"'` : ref;
      continue;
    }
    if (piece.type !== 'text') continue;
    const { text } = piece;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quote === "'" || quote === "$'") {
        if (quote === "$'" && c === '\\') i++;
        else if (c === "'") quote = '';
      } else if (c === '\\') i++;
      else if (quote === '"') {
        if (c === '"') quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '$' && text[i + 1] === "'") {
        quote = "$'";
        i++;
      }
    }
    out += text;
  }
  return out;
}
