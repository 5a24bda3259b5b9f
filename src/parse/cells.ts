/**
 * Cells, the unit of comparison: the parsers mark each step with the cell it came from, in plan order.
 */
import type { Step } from '../core/model.js';

/** Counts the plan's cells as the parser meets them. */
export interface CellCounter {
  next: number;
}

/** Marks `steps` (consecutive, in plan order) as one cell; a cell without steps is no cell. */
export function markCell(steps: readonly Step[], counter: CellCounter): void {
  const first = steps[0];
  const last = steps.at(-1);
  if (!first || !last) return;
  const cell = { index: counter.next++, first: first.index, last: last.index };
  for (const step of steps) step.cell = { ...cell };
}
