/**
 * The Markdown around steps: headings (for reporters and `--from`) and prose (for `--step`). Markdown files and
 * notebook markdown cells go through the same functions, so both give the same plan.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

/** The text of an ATX heading (`## Title ##` gives `Title`), or undefined. */
export function atxHeading(line: string): string | undefined {
  const m = ATX.exec(line);
  return m ? (m[2] ?? '').trim() : undefined;
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
