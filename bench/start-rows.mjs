// Cold-start rows: whole processes against `node -e ""` (Node's own start is the floor), and the code cache
// against the ES module build it replaced (RUNBOOK_CODE_CACHE=off), so the cache is kept only while it pays.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sideBySide, timeCommand } from './lib.mjs';
import { cli, root } from './peers.mjs';

const node = process.execPath;
const bare = () => timeCommand(node, ['-e', '']);

/** A runbook of one `echo` cell with its recorded output: what a run costs beyond Node's start. */
export function oneEcho(dir) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'one-echo.md');
  writeFileSync(file, '# One cell\n\n```sh\n$ echo hello\nhello\n```\n');
  return file;
}

/** Rows: --version, list, run of one echo cell (each vs node), and the one-echo run cached vs uncached. */
export async function startRows({ row, add, work, runs }) {
  const runbook = (args, env = {}) => () => timeCommand(node, [cli, ...args], { cwd: root, env: { NO_COLOR: '1', ...env } });
  await row('cold-version', 'cold start: runbook --version vs node -e ""', async () => {
    add('cold start --version', await sideBySide(runbook(['--version']), bare, runs), 'runbook', 'node', 1.2);
  });
  // Two runs first: the first writes the command's pack of chunks (bin/code-cache.js), the second its code cache
  // entry; a user's every later start is like the third. "Cold" is the process, not the cache.
  const warm = async (args) => {
    for (let i = 0; i < 2; i++) await runbook(args)();
  };
  await row('cold-list', 'cold start: runbook list istio.md vs node -e ""', async () => {
    await warm(['list', 'runbooks/istio.md']);
    add('cold start list', await sideBySide(runbook(['list', 'runbooks/istio.md']), bare, runs), 'runbook', 'node', 2.5);
  });
  const echo = oneEcho(path.join(work, 'one-echo'));
  const run = ['run', echo, '--reporter', 'plain'];
  await row('cold-run', 'cold start: runbook run of one echo cell vs node -e ""', async () => {
    await warm(run);
    add('cold start run, one echo cell', await sideBySide(runbook(run), bare, runs), 'runbook', 'node', 1.6);
  });
  await row('code-cache', 'code cache: run of one echo cell, cached CommonJS vs the ES module build', async () => {
    await warm(run);
    add('code cache vs ES modules (one echo)', await sideBySide(runbook(run), runbook(run, { RUNBOOK_CODE_CACHE: 'off' }), runs), 'cached', 'esm', 0.95);
  });
}
