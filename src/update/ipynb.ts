/**
 * `--update` for notebooks: the code cell's outputs are replaced by the new recording; the rest of the JSON is
 * kept and written as nbformat writes it.
 */
import { parseNbJson, RawNumber, stringifyNbJson, type NbValue } from './nbjson.js';
import { mergeForStep } from './merge.js';
import { splitLines } from '../match/patterns.js';
import type { Update } from './markdown.js';

type NbObject = { [key: string]: NbValue };
const isObject = (v: NbValue | undefined): v is NbObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawNumber);

/** A text as nbformat stores it in a notebook for this writer: a list of lines, each ending in a newline. */
function textLines(text: string): string[] {
  return text === '' ? [] : text.split('\n').map((l) => `${l}\n`);
}

export function updateNotebook(text: string, updates: readonly Update[]): string {
  const nb = parseNbJson(text);
  if (!isObject(nb) || !Array.isArray(nb.cells)) throw new Error('not a notebook: no "cells" list');
  let changed = false;
  for (const u of updates) {
    const location = u.step.expected?.location;
    const cellIndex = location?.format === 'ipynb' ? location.cell : cellOf(nb.cells, u);
    const cell = cellIndex === undefined ? undefined : nb.cells[cellIndex];
    if (!isObject(cell) || cell.cell_type !== 'code') continue;
    const recorded = u.step.expected?.text;
    const output =
      recorded === undefined
        ? u.actual
        : mergeForStep(u.step, recorded, u.actual)
            .map((m) => (m.kind === 'keep' ? splitLines(recorded)[m.index]! : m.text))
            .join('\n');
    if (recorded !== undefined && output === recorded) continue;
    const previous = Array.isArray(cell.outputs) ? cell.outputs : [];
    const result = previous.find((o) => isObject(o) && o.output_type === 'execute_result');
    if (u.step.kind === 'capture' && isObject(result)) {
      // A displayed value is an execute_result, not printed text; keep it one.
      const lines = textLines(output);
      if (lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, -1);
      cell.outputs = [{ ...result, data: { 'text/plain': lines } }];
    } else {
      cell.outputs = output === '' ? [] : [{ name: 'stdout', output_type: 'stream', text: textLines(output) }];
    }
    changed = true;
  }
  return changed ? stringifyNbJson(nb) : text;
}

/** A step without a recording has no cell in its location: the code cell holding its command, preferring one with no outputs. */
function cellOf(cells: NbValue[], u: Update): number | undefined {
  const command = u.step.command.replace(/^\s*!/, '').trim();
  const candidates: number[] = [];
  cells.forEach((c, k) => {
    if (!isObject(c) || c.cell_type !== 'code') return;
    const source = Array.isArray(c.source) ? c.source.join('') : typeof c.source === 'string' ? c.source : '';
    if (command !== '' && source.includes(command)) candidates.push(k);
  });
  const empty = candidates.find((k) => {
    const c = cells[k] as NbObject;
    return !Array.isArray(c.outputs) || c.outputs.length === 0;
  });
  return empty ?? candidates[0];
}
