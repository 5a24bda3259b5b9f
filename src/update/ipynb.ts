/**
 * `--update` for notebooks: a code cell's outputs become the new recording, and nothing else changes. Edits go
 * where the JSON differs (a stream's `text`, or one of its lines), found with jsonc-parser's tree of the cell;
 * every other byte stays as the file had it (indentation, key order, line endings, other cells, metadata).
 * New JSON is written in the file's own layout, each text as a list of lines, as nbformat writes it.
 */
// The ESM build: the package's main entry is a UMD wrapper whose require() calls esbuild cannot follow.
import { applyEdits, parseTree, type Edit, type Node } from 'jsonc-parser/lib/esm/main.js';
import { deepEqual, isObject, type Json } from '../core/json.js';
import { arrayElements, topLevelMembers, type Span } from '../core/json-spans.js';
import { splitLines } from '../core/text.js';
import { mergeForStep } from './merge.js';
import { layoutOf, writeJson, type Layout } from './json-layout.js';
import type { Update } from './markdown.js';

/** A text as nbformat stores it in a notebook for this writer: a list of lines, each ending in a newline. */
function textLines(text: string): string[] {
  return text === '' ? [] : text.split('\n').map((l) => `${l}\n`);
}

export function updateNotebook(text: string, updates: readonly Update[]): string {
  const nb: unknown = JSON.parse(text);
  if (!isObject(nb) || !Array.isArray(nb.cells)) throw new Error('not a notebook: no "cells" list');
  const cells = nb.cells;
  // The new outputs of each cell; a later update of the same cell wins.
  const outputs = new Map<number, Json[]>();
  for (const u of updates) {
    const location = u.step.expected?.location;
    const index = location?.format === 'ipynb' ? location.cell : cellOf(cells, u);
    const cell = index === undefined ? undefined : cells[index];
    if (index === undefined || !isObject(cell) || cell.cell_type !== 'code') continue;
    const recorded = u.step.expected?.text;
    const output = recorded === undefined ? u.actual : merged(u, recorded);
    if (recorded !== undefined && output === recorded) continue;
    outputs.set(index, newOutputs(u, cell.outputs, output));
  }
  if (outputs.size === 0) return text;
  const list = topLevelMembers(text).get('cells');
  const spans = list ? arrayElements(text, list.value) : [];
  const layout = layoutOf(text);
  const edits: Edit[] = [];
  for (const [index, next] of outputs) {
    const span = spans[index];
    const cell = cells[index];
    if (span && isObject(cell)) edits.push(...cellEdits(text, span, cell.outputs, next, layout));
  }
  return applyEdits(text, edits);
}

function merged(u: Update, recorded: string): string {
  const lines = splitLines(recorded);
  return mergeForStep(u.step, recorded, u.actual)
    .map((m) => (m.kind === 'keep' ? (lines[m.index] ?? '') : m.text))
    .join('\n');
}

/** A displayed value stays an execute_result, not printed text; anything else is one stdout stream. */
function newOutputs(u: Update, previous: Json | undefined, output: string): Json[] {
  const result = Array.isArray(previous) ? previous.find((o) => isObject(o) && o.output_type === 'execute_result') : undefined;
  if (u.step.kind === 'capture' && isObject(result)) {
    // text/plain of a value has no newline after its last line.
    const lines = textLines(output);
    const last = lines.pop();
    if (last !== undefined) lines.push(last.slice(0, -1));
    return [{ ...result, data: { 'text/plain': lines } }];
  }
  return output === '' ? [] : [{ name: 'stdout', output_type: 'stream', text: textLines(output) }];
}

/** The edits that turn one cell's `outputs` into `next`; the cell's text is parsed alone, not the whole file. */
function cellEdits(text: string, span: Span, previous: Json | undefined, next: Json[], layout: Layout): Edit[] {
  const tree = parseTree(text.slice(span.offset, span.end));
  const edits: Edit[] = [];
  if (tree?.type !== 'object') return edits;
  const shift = (node: Node) => span.offset + node.offset;
  const outputs = member(tree, 'outputs');
  if (outputs) {
    diff(outputs, previous, next);
    return edits;
  }
  // No outputs yet (nbformat requires them, hand-written cells may lack them): insert the key where sorted keys put it.
  const properties = tree.children ?? [];
  const first = properties[0];
  if (!first) return edits;
  const indent = indentAt(text, shift(first));
  const entry = `"outputs"${layout.colon}${writeJson(next, indent, layout)}`;
  const separator = layout.unit === undefined ? layout.comma : `,${layout.eol}${indent}`;
  const after = properties.find((p) => typeof p.children?.[0]?.value === 'string' && p.children[0].value > 'outputs');
  const last = properties[properties.length - 1] ?? first;
  edits.push(after ? { offset: shift(after), length: 0, content: entry + separator } : { offset: shift(last) + last.length, length: 0, content: separator + entry });
  return edits;

  /** Descends while both sides have the same shape, so that an unchanged key or line keeps its bytes. */
  function diff(node: Node, before: unknown, after: Json): void {
    if (deepEqual(before, after)) return;
    const children = node.children ?? [];
    if (node.type === 'object' && isObject(before) && isObject(after) && sameKeys(before, after)) {
      for (const key of Object.keys(after)) {
        const child = member(node, key);
        if (child) diff(child, before[key], after[key] ?? null);
      }
      return;
    }
    if (node.type === 'array' && Array.isArray(before) && Array.isArray(after) && before.length === after.length && children.length === after.length) {
      after.forEach((value, k) => {
        const child = children[k];
        if (child) diff(child, before[k], value);
      });
      return;
    }
    edits.push({ offset: shift(node), length: node.length, content: writeJson(after, indentAt(text, shift(node)), layout) });
  }
}

/** The value of an object's key; the last one where a key repeats, as JSON.parse reads it. */
function member(node: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of node.children ?? []) if (property.children?.[0]?.value === key) found = property.children[1];
  return found;
}

function sameKeys(a: object, b: object): boolean {
  const ak = Object.keys(a);
  const bk = new Set(Object.keys(b));
  return ak.length === bk.size && ak.every((k) => bk.has(k));
}

/** The leading whitespace of the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** A step without a recording has no cell in its location: the code cell holding its command, preferring one with no outputs. */
function cellOf(cells: readonly Json[], u: Update): number | undefined {
  const command = u.step.command.replace(/^\s*!/, '').trim();
  const candidates: number[] = [];
  cells.forEach((c, k) => {
    if (!isObject(c) || c.cell_type !== 'code') return;
    const source = Array.isArray(c.source) ? c.source.join('') : typeof c.source === 'string' ? c.source : '';
    if (command !== '' && source.includes(command)) candidates.push(k);
  });
  const empty = candidates.find((k) => {
    const c = cells[k];
    return isObject(c) && (!Array.isArray(c.outputs) || c.outputs.length === 0);
  });
  return empty ?? candidates[0];
}
