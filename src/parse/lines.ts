/** Line helpers of the Markdown and notebook readers, on top of core's splitter. */
import { trimBlankEdges } from '../core/text.js';

/** Drops whitespace-only lines at both ends. */
export function trimBlankLines(lines: readonly string[]): string[] {
  return trimBlankEdges(lines, (l) => l.trim() === '');
}
