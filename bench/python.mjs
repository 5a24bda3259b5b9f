// The Python cells row of `npm run bench`: a notebook of 20 trivial Python cells (`xI = I` then `xI * 2`, each
// with its recorded Out), run by runbook and by `jupyter nbconvert --execute`. Both use the interpreter that
// jupyter runs on (its kernel is that interpreter), so the row compares executors, not Python installs.
// By hand: `node bench/python.mjs` prints the row's numbers as JSON (BENCH_RUNS sets the rounds).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide, timeCommand } from './lib.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'runbook.js');

/** Writes the notebook of `count` trivial Python cells into `dir`; returns its path. */
export function pythonNotebook(dir, count = 20) {
  mkdirSync(dir, { recursive: true });
  const cells = [...Array(count).keys()].map((i) => ({
    cell_type: 'code',
    execution_count: i + 1,
    metadata: {},
    source: [`x${i} = ${i}\n`, `x${i} * 2`],
    outputs: [{ output_type: 'execute_result', execution_count: i + 1, metadata: {}, data: { 'text/plain': [String(i * 2)] } }],
  }));
  const notebook = { cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
  const file = path.join(dir, 'python-cells.ipynb');
  writeFileSync(file, `${JSON.stringify(notebook, null, 1)}\n`);
  return file;
}

/** The interpreter `jupyter` runs on: its script's `#!` line. */
function jupyterPython() {
  const jupyter = execFileSync('sh', ['-c', 'command -v jupyter'], { encoding: 'utf8' }).trim();
  if (!jupyter) throw new Error('jupyter is not installed (Debian: jupyter-nbconvert python3-ipykernel)');
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(jupyter, 'utf8').split('\n')[0] ?? '');
  if (!shebang) throw new Error(`cannot tell which python ${jupyter} runs on`);
  // `#!/usr/bin/env python3` names the interpreter in its second word.
  return shebang[1]?.endsWith('/env') ? (shebang[2] ?? 'python3') : shebang[1];
}

/** runbook's time over jupyter's for the notebook, in alternating rounds. */
export async function pythonCells({ work, runs }) {
  const python = jupyterPython();
  const file = pythonNotebook(path.join(work, 'python'));
  const env = { NO_COLOR: '1', RUNBOOK_PYTHON: python };
  // Every cell must run and pass, or the row measures nothing.
  const check = await timeCommand(process.execPath, [cli, 'run', file, '--reporter', 'plain'], { env });
  if (!/20 passed, 0 failed, 0 skipped/.test(check.stdout + check.stderr)) throw new Error(`runbook did not run the 20 cells: ${check.stdout}${check.stderr}`);
  return sideBySide(
    () => timeCommand(process.execPath, [cli, 'run', file, '--reporter', 'plain'], { env }),
    () => timeCommand('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', path.join(work, 'python', 'out.ipynb'), file]),
    runs,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await pythonCells({ work: mkdtempSync(path.join(tmpdir(), 'runbook-bench-python-')), runs: Number(process.env.BENCH_RUNS ?? 5) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
