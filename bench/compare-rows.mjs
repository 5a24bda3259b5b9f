// `runbook compare` of two 500-cell notebooks: every cell of the re-recorded corpus (test/fixtures/rerecorded),
// old and new recordings, repeated until 500 cells; so most cells differ in volatile values and are judged.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './peers.mjs';

/** Writes old.ipynb and new.ipynb of `cells` cells under `dir`; returns their paths. */
export function compareNotebooks(dir, cells = 500) {
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const side of ['old', 'new']) {
    const pool = ['volatile', 'changed'].flatMap((g) => JSON.parse(readFileSync(path.join(root, 'test/fixtures/rerecorded', `${g}-${side}.ipynb`), 'utf8')).cells);
    const nb = JSON.parse(readFileSync(path.join(root, 'test/fixtures/rerecorded/volatile-old.ipynb'), 'utf8'));
    // Distinct sources (a cell number in a comment-free suffix) so cells pair by source, as in a real doc.
    nb.cells = Array.from({ length: cells }, (_, k) => {
      const c = structuredClone(pool[k % pool.length]);
      c.source = [`${c.source.join('')} # ${k}`];
      c.id = `c${k}`;
      return c;
    });
    const file = path.join(dir, `${side}.ipynb`);
    writeFileSync(file, JSON.stringify(nb, null, 1));
    out.push(file);
  }
  return out;
}
