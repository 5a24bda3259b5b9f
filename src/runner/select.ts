/**
 * `--only`, `--from` and `--until` pick steps by index (`3`), range (`3-5`), or heading text (case-insensitive substring).
 */
import { InputError } from '../core/errors.js';
import type { Step } from '../core/model.js';

export interface Selection {
  only?: string;
  from?: string;
  until?: string;
}

/** Returns the indices of the selected steps; throws InputError when a selector matches nothing. */
export function selectSteps(steps: readonly Step[], selection: Selection): Set<number> {
  let chosen = steps.map((s) => s.index);
  if (selection.only !== undefined) {
    const wanted = new Set(resolve(steps, selection.only, '--only', 'all'));
    chosen = chosen.filter((i) => wanted.has(i));
  }
  if (selection.from !== undefined) {
    const first = Math.min(...resolve(steps, selection.from, '--from', 'first'));
    chosen = chosen.filter((i) => i >= first);
  }
  if (selection.until !== undefined) {
    const last = Math.max(...resolve(steps, selection.until, '--until', 'last'));
    chosen = chosen.filter((i) => i <= last);
  }
  return new Set(chosen);
}

function resolve(steps: readonly Step[], selector: string, flag: string, _which: 'all' | 'first' | 'last'): number[] {
  const range = /^(\d+)(?:-(\d+))?$/.exec(selector.trim());
  if (range) {
    const lo = Number(range[1]);
    const hi = range[2] === undefined ? lo : Number(range[2]);
    const found = steps.filter((s) => s.index >= lo && s.index <= hi).map((s) => s.index);
    if (found.length > 0) return found;
    throw new InputError(`${flag} ${selector}: no step with that index (steps are numbered 0 to ${steps.length - 1})`);
  }
  const needle = selector.toLowerCase();
  const found = steps.filter((s) => s.heading?.toLowerCase().includes(needle)).map((s) => s.index);
  if (found.length > 0) return found;
  const headings = [...new Set(steps.map((s) => s.heading).filter(Boolean))];
  throw new InputError(
    `${flag} ${JSON.stringify(selector)}: no step index, range (3-5) or heading matches; headings are: ${headings.map((h) => JSON.stringify(h)).join(', ') || 'none'}`,
  );
}
