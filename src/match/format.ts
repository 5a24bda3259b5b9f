/**
 * Renders a diff for people: paths with expected and actual values, a unified diff with the changed words
 * highlighted on a colour terminal, or the object lines missing and extra.
 */
import { diffWordsWithSpace } from 'diff';
import type { Diff, TextHunk } from './types.js';

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const CYAN = '\x1b[36m';
const DIM = '\x1b[2m';
const INVERSE = '\x1b[7m';
const RESET = '\x1b[0m';

export interface FormatOptions {
  color: boolean;
}

export function formatDiff(diff: Diff, options: FormatOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  switch (diff.type) {
    case 'paths':
      return diff.entries
        .map((e) => `${e.path}: expected ${paint(GREEN, e.expected)}, got ${paint(RED, e.actual)}`)
        .join('\n');
    case 'lines': {
      const out: string[] = [];
      if (diff.missing.length > 0) out.push('recorded but not printed:', ...diff.missing.map((l) => paint(RED, `- ${l}`)));
      if (diff.extra.length > 0) out.push('printed but not recorded:', ...diff.extra.map((l) => paint(GREEN, `+ ${l}`)));
      return out.join('\n');
    }
    case 'text':
      if (!options.color) return diff.unified;
      return [paint(DIM, '--- recorded'), paint(DIM, '+++ actual'), ...diff.hunks.flatMap((h) => colourHunk(h))].join('\n');
  }
}

/** One hunk, with each run of removed lines compared word by word against the added run that follows it. */
function colourHunk(hunk: TextHunk): string[] {
  const out = [`${CYAN}@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@${RESET}`];
  const lines = hunk.lines.filter((l) => !l.startsWith('\\'));
  for (let k = 0; k < lines.length; ) {
    if (lines[k]!.startsWith(' ')) {
      out.push(`${DIM}${lines[k]}${RESET}`);
      k++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (k < lines.length && lines[k]!.startsWith('-')) removed.push(lines[k++]!.slice(1));
    while (k < lines.length && lines[k]!.startsWith('+')) added.push(lines[k++]!.slice(1));
    if (removed.length === 0 || added.length === 0) {
      out.push(...removed.map((l) => `${RED}-${l}${RESET}`), ...added.map((l) => `${GREEN}+${l}${RESET}`));
      continue;
    }
    const changes = diffWordsWithSpace(removed.join('\n'), added.join('\n'));
    let oldText = '';
    let newText = '';
    for (const c of changes) {
      if (c.added) newText += mark(c.value, GREEN);
      else if (c.removed) oldText += mark(c.value, RED);
      else {
        oldText += c.value;
        newText += c.value;
      }
    }
    out.push(...oldText.split('\n').map((l) => `${RED}-${l}${RESET}`), ...newText.split('\n').map((l) => `${GREEN}+${l}${RESET}`));
  }
  return out;
}

// Inverse video marks the changed words; re-applying the line colour after each line break keeps it per line.
function mark(text: string, colour: string): string {
  return text
    .split('\n')
    .map((part) => (part === '' ? '' : `${INVERSE}${part}${RESET}${colour}`))
    .join('\n');
}
