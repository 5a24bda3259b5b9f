import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowed, importGraph } from '../scripts/import-graph.mjs';

describe('layers', () => {
  it('every import between layers points down (scripts/import-graph.mjs)', () => {
    const graph = importGraph();
    expect(graph.backwards).toEqual([]);
    // The graph is real: the layers it knows do import each other.
    expect(graph.edges['steps -> kube']).toBeGreaterThan(0);
    expect(graph.edges['runner -> steps']).toBeGreaterThan(0);
  });

  it('core imports no other layer, and no layer may import one that imports it', () => {
    expect(allowed.core).toEqual([]);
    for (const [layer, deps] of Object.entries(allowed)) {
      for (const dep of deps) expect(allowed[dep]?.includes(layer), `${layer} <-> ${dep}`).not.toBe(true);
    }
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-layers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a backwards import, static or dynamic', () => {
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    write('src/core/model.ts', "import type { X } from '../runner/x.js';\n");
    write('src/runner/x.ts', "export type X = 1;\nexport const y = () => import('../commands/run.js');\n");
    write('src/commands/run.ts', "import { y } from '../runner/x.js';\n");
    write('steps/curl.ts', "import { z } from '../src/net/z.js';\n");
    write('src/net/z.ts', 'export const z = 1;\n');
    const graph = importGraph(dir);
    expect(graph.backwards.map((b) => `${b.file}: ${b.from} -> ${b.to}`).sort()).toEqual([
      'src/core/model.ts: core -> runner',
      'src/runner/x.ts: runner -> commands',
    ]);
    expect(graph.edges).toEqual({ 'commands -> runner': 1, 'core -> runner': 1, 'runner -> commands': 1, 'steps -> net': 1 });
  });
});
