/**
 * Expected kubectl output with named placeholders for what changes from run to run, compiled to one anchored
 * regular expression (in the manner of snapbox's redactions and prysk's `(re)` lines):
 *
 * - `[AGE]` a printer age (HumanDuration: `5s`, `2m30s`, `3h`, `4d`), `[TIME]` an RFC 3339 time, `[UID]` a UUID,
 *   `[RV]` a resourceVersion, `[IP]` an IPv4 address, `[PORT]` a port, `[..]` anything within one line;
 * - a line holding only `...` stands for any number of lines (none included);
 * - two or more spaces after a cell stand for any run of two or more (tabwriter pads columns to the widest cell,
 *   and names differ in length from entry to entry), so tables are written aligned but compared by cells.
 */
const PLACEHOLDERS: Record<string, string> = {
  '[AGE]': String.raw`(?:\d+s|\d+m(?:\d+s)?|\d+h(?:\d+m)?|\d+d(?:\d+h)?|\d+y)`,
  '[TIME]': String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z`,
  '[UID]': String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
  '[RV]': String.raw`\d+`,
  '[IP]': String.raw`\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}`,
  '[PORT]': String.raw`\d{1,5}`,
  '[..]': String.raw`[^\n]*?`,
};

const TOKEN = /\[(?:AGE|TIME|UID|RV|IP|PORT|\.\.)\]| {2,}/g;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function linePattern(line: string): string {
  let out = '';
  let last = 0;
  for (const m of line.matchAll(TOKEN)) {
    const before = line.slice(last, m.index);
    out += escape(before);
    const token = m[0];
    // Leading spaces are indentation (YAML, describe): they must match exactly.
    if (token.startsWith(' ')) out += out === '' ? escape(token) : ' {2,}';
    else out += PLACEHOLDERS[token]!;
    last = m.index + token.length;
  }
  return out + escape(line.slice(last));
}

/** The regular expression an expected text stands for. */
export function expectedPattern(expected: string): RegExp {
  const lines = expected.split('\n');
  let source = '';
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    if (line === '...') source += last ? '[\\s\\S]*' : '(?:[^\\n]*\\n)*?';
    else source += linePattern(line) + (last ? '' : '\\n');
  }
  return new RegExp(`^${source}$`);
}

/** Whether `actual` is what `expected` (with its placeholders) describes. */
export function matchesExpected(expected: string, actual: string): boolean {
  return expectedPattern(expected).test(actual);
}
