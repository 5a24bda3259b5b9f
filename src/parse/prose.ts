/**
 * The Markdown around steps: headings (for reporters and `--from`) and prose (for `--step`). Markdown files and
 * notebook markdown cells go through the same functions, so both give the same plan.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_OPEN = /^ {0,3}#{1,6}(?=[ \t]|$)/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

/**
 * The text of an ATX heading (`## Title ##` gives `Title`), or undefined. Scanned by hand: the regular expression
 * it replaces (`[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`) backtracked quadratically, a second for `## a` + 30,000 blanks + `b`.
 */
export function atxHeading(line: string): string | undefined {
  const open = ATX_OPEN.exec(line);
  if (!open) return undefined;
  const rest = line.slice(open[0].length);
  // `.` stopped at these, so a line holding one was no heading.
  if (LINE_BREAK.test(rest)) return undefined;
  let text = trimBlanks(rest);
  // A closing run of #, after a blank, is not part of the text.
  let hashes = text.length;
  while (hashes > 0 && text[hashes - 1] === '#') hashes--;
  if (hashes < text.length && hashes > 0 && isBlank(text[hashes - 1]!)) text = text.slice(0, hashes);
  return text.trim();
}

const isBlank = (c: string) => c === ' ' || c === '\t';

function trimBlanks(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && isBlank(text[a]!)) a++;
  while (b > a && isBlank(text[b - 1]!)) b--;
  return text.slice(a, b);
}

/**
 * An empty HTML comment on a line of its own: CommonMark's way to end one block before the next (two lists, or a
 * cell without output before a fence that would otherwise read as its recording). It shows nothing, so it is not
 * prose either.
 */
export function isBlockSeparator(line: string): boolean {
  return /^ {0,3}<!--[ \t]*-->[ \t]*$/.test(line);
}

/** True when `line` underlines the paragraph line before it as a setext heading. */
export function isSetextUnderline(line: string, previous: string | undefined): boolean {
  return previous !== undefined && previous.trim() !== '' && SETEXT.test(line) && !FENCE.test(previous) && atxHeading(previous) === undefined;
}

/** The last heading in a block of Markdown lines (fenced code is skipped), or undefined. */
export function lastHeading(lines: readonly string[]): string | undefined {
  let heading: string | undefined;
  let fence: string | undefined;
  let previous: string | undefined;
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (fence !== undefined) {
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[0].trim()) fence = undefined;
      previous = undefined;
      continue;
    }
    if (f) {
      fence = f[1]!;
      previous = undefined;
      continue;
    }
    const atx = atxHeading(line);
    if (atx !== undefined) heading = atx;
    else if (isSetextUnderline(line, previous)) heading = previous!.trim();
    previous = atx === undefined ? line : undefined;
  }
  return heading;
}

/**
 * Prose as a step carries it: trailing spaces dropped, runs of blank lines collapsed to one, no blank lines at
 * either end (nbconvert and editors disagree on those); undefined when nothing is left.
 */
export function normaliseProse(lines: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length > 0 ? out.join('\n') : undefined;
}
