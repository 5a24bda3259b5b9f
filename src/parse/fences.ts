/**
 * Fenced code blocks (``` or ~~~, CommonMark rules: up to 3 spaces of indent, closed by the same character at
 * least as long). Found in a first pass so the main scanner never mistakes fence content for prose.
 */
import { excerpt, InputError } from '../core/errors.js';

export interface Fence {
  /** 0-based index of the opening and closing lines. */
  open: number;
  close: number;
  /** The opening fence's indent, removed from content lines. */
  indent: string;
  /** First word of the info string, lower-cased (`python`, `sh`, `yaml`, `` for none). */
  lang: string;
  marker: string;
}

export type FenceKind = 'python' | 'shell' | 'output' | 'other';

// The lookahead pins the marker run (JavaScript has no atomic groups): `(`{3,})(.*)$` backtracked through every
// shorter run when `.` met a U+2028, a second for 40,000 backticks.
const OPEN = /^( {0,3})(?=(`{3,}|~{3,}))\2(.*)$/;

const KINDS: Record<string, FenceKind> = {
  python: 'python',
  python3: 'python',
  ipython: 'python',
  ipython3: 'python',
  py: 'python',
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  console: 'shell',
  zsh: 'shell',
  'shell-session': 'shell',
  shellsession: 'shell',
  output: 'output',
  text: 'output',
};

/**
 * The fences a GitBook export writes a shell cell's recorded output in (```json, ```yaml, ```outputs, a bare fence),
 * besides ```output and ```text. They are output only directly after a shell fence of plain commands; anywhere
 * else they show a document (a manifest, a payload) to readers.
 */
const EXPORTED_OUTPUT = new Set(['json', 'yaml', 'yml', 'outputs', 'output', 'text', '']);

/** True when a fence of this language holds a shell cell's recording if it directly follows the cell. */
export function isExportedOutput(lang: string): boolean {
  return EXPORTED_OUTPUT.has(lang);
}

/** Which cell reader a fence's language selects. */
export function fenceKind(lang: string): FenceKind {
  return Object.hasOwn(KINDS, lang) ? KINDS[lang]! : 'other';
}

/** Every fence from line `from` on; an unclosed fence is an InputError at its opening line. */
export function findFences(file: string, lines: readonly string[], from = 0): Fence[] {
  const fences: Fence[] = [];
  for (let i = from; i < lines.length; i++) {
    const m = OPEN.exec(lines[i]!);
    if (!m) continue;
    const [, indent, marker, info] = m as unknown as [string, string, string, string];
    // A backtick fence's info string cannot contain backticks (that is inline code).
    if (marker[0] === '`' && info.includes('`')) continue;
    const lang = (info.trim().split(/\s+/)[0] ?? '').replace(/^\{|\}$/g, '').toLowerCase();
    let close = i + 1;
    for (; close < lines.length; close++) {
      const c = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[close]!);
      if (c && c[1]![0] === marker[0] && c[1]!.length >= marker.length) break;
    }
    if (close >= lines.length) {
      const shown = excerpt(marker, 12);
      throw new InputError(`unclosed ${shown} fence${lang ? ` (${excerpt(lang)})` : ''}; expected a closing ${shown} line`, {
        file,
        line: i + 1,
        column: indent.length + 1,
      });
    }
    fences.push({ open: i, close, indent, lang, marker });
    i = close;
  }
  return fences;
}
