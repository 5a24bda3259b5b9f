#!/usr/bin/env node
/**
 * The import graph between layers, and the edges that point the wrong way. Layers, lowest first:
 *
 *   core                          contracts (plan model, step and event types) and helpers; imports no layer
 *   parse  kube  net  ui  sandbox each builds on core only (the sandbox is a server: it knows nothing of the client)
 *   steps  match                  steps run commands through kube and net; match compares outputs
 *   update                        rewrites recorded outputs, using match to keep what still matches
 *   runner                        runs plans: steps + match + update
 *   reporters                     render runner events
 *   commands                      wire it all: the sandbox, the runner and the reporters
 *   program, cli                  the command line
 *
 * `node scripts/import-graph.mjs` prints the edges and exits 1 when any is backwards (`--json` for tests).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What each layer may import, besides itself. */
export const allowed = {
  core: [],
  parse: ['core'],
  kube: ['core'],
  net: ['core'],
  ui: ['core'],
  sandbox: ['core'],
  steps: ['core', 'kube', 'net'],
  match: ['core'],
  update: ['core', 'match'],
  runner: ['core', 'steps', 'match', 'update', 'kube', 'net'],
  reporters: ['core', 'ui', 'match'],
  commands: ['core', 'parse', 'kube', 'net', 'ui', 'sandbox', 'steps', 'match', 'update', 'runner', 'reporters'],
  program: ['core', 'commands'],
};

function layerOf(root, file) {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'steps') return 'steps';
  if (rel[0] !== 'src') return undefined;
  if (rel.length === 2) return rel[1] === 'cli.ts' || rel[1] === 'program.ts' ? 'program' : 'core';
  return rel[1];
}

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.tsx?$/.test(entry.name)) yield full;
  }
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every cross-layer edge with its count, and the backwards ones with the files that make them. */
export function importGraph(root = projectRoot) {
  const edges = new Map();
  const backwards = [];
  for (const file of [...sources(path.join(root, 'src')), ...sources(path.join(root, 'steps'))]) {
    const from = layerOf(root, file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = layerOf(root, path.resolve(path.dirname(file), m[1]));
      if (!from || !to || from === to) continue;
      const key = `${from} -> ${to}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
      if (!allowed[from]?.includes(to)) backwards.push({ from, to, file: path.relative(root, file), import: m[1] });
    }
  }
  return { edges: Object.fromEntries([...edges].sort()), backwards };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(graph, null, 2)}\n`);
  } else {
    const width = Math.max(...Object.keys(graph.edges).map((k) => k.length));
    for (const [edge, count] of Object.entries(graph.edges)) process.stdout.write(`${edge.padEnd(width)}  ${count}\n`);
    for (const b of graph.backwards) process.stdout.write(`backwards: ${b.file} imports ${b.import} (${b.from} -> ${b.to})\n`);
    process.stdout.write(`${graph.backwards.length} backwards edges\n`);
  }
  process.exitCode = graph.backwards.length > 0 ? 1 : 0;
}
