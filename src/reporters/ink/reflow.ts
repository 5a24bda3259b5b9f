/**
 * Most terminals (VTE, iTerm2, kitty, Windows Terminal, tmux) re-wrap lines already on screen when they get
 * narrower. ink then erases as many rows as its live area had, but that area now takes more rows, and the rest
 * stays behind as garbage. Before ink redraws, erase the rows the old live area really occupies now.
 */
import { displayWidth } from '../../ui/width.js';

/** Terminals known not to re-wrap on resize; everything else is assumed to. */
export function terminalReflows(env: Readonly<Record<string, string | undefined>>): boolean {
  const term = env.TERM ?? '';
  if (env.TMUX || env.VTE_VERSION || env.WT_SESSION || env.TERM_PROGRAM) return true;
  return !(env.XTERM_VERSION || term === 'linux' || term.startsWith('rxvt'));
}

const ESC = '\x1b[';

/**
 * What to write before ink handles a resize from `oldColumns` to `newColumns`, given the live area ink last
 * drew (`frame`, as laid out at `oldColumns`). ink itself will then erase `lines + 1` rows upwards; this erases
 * every row the frame now occupies and leaves the cursor `lines` rows lower, so that ink's erase ends exactly
 * at the top of the old live area.
 */
export function reflowErase(frame: string, oldColumns: number, newColumns: number): string {
  if (newColumns >= oldColumns || frame === '') return '';
  const lines = frame.split('\n');
  const rows = lines.reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / newColumns)), 0);
  if (rows <= lines.length) return '';
  // Erase the cursor's row and `rows` rows above it, ending at the start of the top one.
  let erase = `${ESC}2K`;
  for (let i = 0; i < rows; i++) erase += `${ESC}1A${ESC}2K`;
  return `${erase}${ESC}G${'\n'.repeat(lines.length)}`;
}
