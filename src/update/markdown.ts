/**
 * `--update` for Markdown: rewrites exactly the lines of each recorded block, in the block's own layout, and
 * leaves every other byte alone (prose, directives, fences, line endings).
 */
import type { Expected, Step } from '../core/model.js';
import { mergeForStep } from './merge.js';

export interface Update {
  step: Step;
  /** The step's actual output in its recorded form (`recordedForm`). */
  actual: string;
}

interface Line {
  text: string;
  eol: string;
}

/** Splits text into lines, each with the line ending that followed it ('' for a last line without one). */
export function toLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') break;
    lines.push({ text: m[1]!, eol: m[2]! });
    if (m[2] === '') break;
  }
  return lines;
}

function dominantEol(lines: Line[]): string {
  const crlf = lines.filter((l) => l.eol === '\r\n').length;
  const lf = lines.filter((l) => l.eol === '\n').length;
  return crlf > lf ? '\r\n' : '\n';
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Rewrites the recorded blocks of `updates` in a Markdown runbook. */
export function updateMarkdown(text: string, updates: readonly Update[]): string {
  const lines = toLines(text);
  const eol = dominantEol(lines);
  const edits: { at: number; remove: number; lines: string[] }[] = [];
  for (const u of updates) {
    const edit = u.step.expected ? replaceBlock(lines, u, u.step.expected) : insertBlock(lines, u, text);
    if (edit) edits.push(edit);
  }
  // Bottom up, so earlier line numbers stay valid.
  edits.sort((a, b) => b.at - a.at);
  for (const e of edits) {
    const removed = lines.slice(e.at, e.at + e.remove);
    // The block's last line keeps its own ending (a file without a final newline stays without one).
    const lastEol = removed.length > 0 ? removed[removed.length - 1]!.eol : eol;
    const added = e.lines.map((t, k) => ({ text: t, eol: k === e.lines.length - 1 ? lastEol : eol }));
    const before = lines[e.at - 1];
    if (before && before.eol === '' && added.length > 0) {
      // Appending after a last line that had no line ending: it gets one, the new last line does not.
      before.eol = eol;
      added[added.length - 1]!.eol = '';
    } else if (added.length === 0 && removed.length > 0 && before && lastEol === '') before.eol = '';
    lines.splice(e.at, e.remove, ...added);
  }
  return lines.map((l) => l.text + l.eol).join('');
}

function replaceBlock(lines: Line[], u: Update, expected: Expected): { at: number; remove: number; lines: string[] } | undefined {
  if (expected.location.format !== 'markdown') return undefined;
  const { startLine, endLine, indent } = expected.location;
  const at = startLine - 1;
  const remove = Math.max(endLine - startLine + 1, 0);
  const recorded = expected.text.split('\n');
  // Kept lines are copied from the file itself when the recorded text maps onto it line for line: byte-exact.
  const oneToOne = remove === recorded.length;
  const out = mergeForStep(u.step, expected.text, u.actual).map((m) => {
    if (m.kind === 'keep' && oneToOne) return lines[at + m.index]!.text;
    const t = m.kind === 'keep' ? recorded[m.index]! : m.text;
    return t === '' ? '' : indent + t;
  });
  const same = out.length === remove && out.every((t, k) => t === lines[at + k]!.text);
  return same ? undefined : { at, remove, lines: out };
}

/** Where a step without a recorded output gets one: after its fence (or after its command, in a console fence). */
function insertBlock(lines: Line[], u: Update, text: string): { at: number; remove: number; lines: string[] } | undefined {
  const content = u.actual.split('\n');
  if (u.actual === '') return undefined;
  let open = -1;
  for (let k = Math.min(u.step.line - 1, lines.length - 1); k >= 0; k--) {
    if (FENCE.test(lines[k]!.text)) {
      open = k;
      break;
    }
  }
  if (open < 0) return undefined;
  const fence = FENCE.exec(lines[open]?.text ?? '');
  if (!fence) return undefined;
  const [, fenceIndent = '', marker = '```', info = ''] = fence;
  const closing = new RegExp(`^ {0,3}${marker.startsWith('`') ? '`' : '~'}{${marker.length},}\\s*$`);
  let close = open + 1;
  while (close < lines.length && !closing.test(lines[close]!.text)) close++;
  const promptLine = u.step.line - 1;
  if (/^(?:console|sh|bash|shell|shell-session)\b/.test(info.trim()) && /^\s*\$ /.test(lines[promptLine]?.text ?? '')) {
    // Console style: the output follows the command (and its continuation lines) inside the fence.
    let last = promptLine;
    while (last + 1 < close && /\\$/.test(lines[last]!.text)) last++;
    return { at: last + 1, remove: 0, lines: content.map((l) => (l === '' ? '' : fenceIndent + l)) };
  }
  const after = close + 1;
  const block = fileStyle(text) === 'indented' ? content.map((l) => (l === '' ? '' : `    ${l}`)) : ['```', ...content, '```'];
  const nextBlank = after >= lines.length || lines[after]!.text.trim() === '';
  return { at: after, remove: 0, lines: ['', ...block, ...(nextBlank ? [] : [''])] };
}

/** nbconvert exports put outputs in 4-space-indented blocks after a fence; other files use fences. */
export function fileStyle(text: string): 'indented' | 'fence' {
  return /(?:^|\n) {0,3}(?:```|~~~)[ \t]*\r?\n(?:[ \t]*\r?\n)+ {4}\S/.test(text) ? 'indented' : 'fence';
}
