/** Text split into lines, the one way the parser, the matchers and `--update` all read lines. */

/**
 * The lines of `text`: split at each `\n`, and each line without the carriage returns that end it, so a CRLF file
 * (or a terminal's `\r\r\n`) reads like its LF twin and line numbers count `\n`s. Empty text has no lines; a final
 * newline gives a last empty line. A `\r` inside a line (a progress meter redrawing itself) stays.
 */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    // A loop, not /\r+$/: that expression backtracks over every run of CRs that is not at the end.
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    if (end < line.length) lines[i] = line.slice(0, end);
  });
  return lines;
}

/** `items` without the blank ones at either end. */
export function trimBlankEdges<T>(items: readonly T[], blank: (item: T) => boolean): T[] {
  const start = items.findIndex((item) => !blank(item));
  return start === -1 ? [] : items.slice(start, items.findLastIndex((item) => !blank(item)) + 1);
}
