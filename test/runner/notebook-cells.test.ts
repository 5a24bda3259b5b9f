/**
 * The cells fixture end to end against the sandbox, as .ipynb and as its nbconvert export: it passes, and a copy
 * with one command's recorded output changed fails at exactly that command.
 */
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo, runCli } from '../commands/run-cli.js';
import { readReport, replaceOnce, tempDir } from './fixtures.js';

beforeAll(ensureBuilt);

const fixtures = path.join(repo, 'test/fixtures/notebooks');
function copy(name: string, edit: (text: string) => string = (t) => t): string {
  const dir = tempDir('runbook-cells-');
  cpSync(path.join(fixtures, 'models'), path.join(dir, 'models'), { recursive: true });
  const file = path.join(dir, name);
  copyFileSync(path.join(fixtures, name), file);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return file;
}

async function run(file: string) {
  const json = path.join(path.dirname(file), 'report.json');
  const r = await runCli(['run', file, '--sandbox', '--reporter', `json=${json}`, '--reporter', 'plain']);
  return { code: r.code, out: r.stdout + r.stderr, report: readReport(json).runbooks[0]! };
}

needs('kubectl 1.32', 'python3').describe('the cells fixture against the sandbox', () => {
  it.each(['cells.ipynb', 'cells.md'])('%s passes: multi-command cells, Python around !curl, %%env, %%%%writefile, %%%%bash', async (name) => {
    const { code, out, report } = await run(copy(name));
    expect(code, out).toBe(0);
    expect(report.steps.map((s) => s.status)).toEqual(Array(14).fill('passed'));
  });

  it('fails at exactly the command whose recorded output changed, the others of its cell passing', async () => {
    const file = copy('cells.md', (t) => replaceOnce(t, '    model.mlops.seldon.io/iris condition met', '    model.mlops.seldon.io/iris2 condition met'));
    const { code, out, report } = await run(file);
    expect(code).toBe(1);
    expect(report.steps.filter((s) => s.status === 'failed').map((s) => [s.index, s.kind])).toEqual([[4, 'wait']]);
    const line = readFileSync(file, 'utf8').split('\n').indexOf('    model.mlops.seldon.io/iris2 condition met') + 1;
    expect(out).toContain(`cells.md:${line} [4] wait (cell 3, command 2 of 2) failed`);
  });

  it('fails the seldon command whose {} changed, in a cell of two, and names it', async () => {
    const file = copy('cells.ipynb', (t) => {
      const nb = JSON.parse(t) as { cells: { source: string[]; outputs?: { text: string[] }[] }[] };
      const loads = nb.cells.find((c) => c.source.join('').startsWith('!seldon model load'))!;
      loads.outputs![1]!.text = ['{"loaded": true}\n'];
      return JSON.stringify(nb, null, 1);
    });
    const { code, out, report } = await run(file);
    expect(code).toBe(1);
    expect(report.steps.filter((s) => s.status === 'failed').map((s) => [s.index, s.kind])).toEqual([[11, 'seldon']]);
    expect(out).toContain('[11] seldon (cell 8, command 2 of 2) failed');
  });

  it('fails a cell compared as a whole on its last step, showing the whole cell', async () => {
    const file = copy('cells.ipynb', (t) => replaceOnce(t, '"[[1, 2, 3, 4]]\\n"', '"[[4, 3, 2, 1]]\\n"'));
    const { code, out, report } = await run(file);
    expect(code).toBe(1);
    expect(report.steps.filter((s) => s.status === 'failed').map((s) => [s.index, s.kind])).toEqual([[7, 'curl']]);
    expect(out).toMatch(/-\[\[4, ?3, ?2, ?1\]\]\n\s*\+\[\[1, ?2, ?3, ?4\]\]/);
    expect(out).toContain('cell 5: its 2 commands compared together with its recording');
  });
});
