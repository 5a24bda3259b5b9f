// Doc-set rows: many runbooks in one `runbook run --sandbox` (a sandbox per runbook), as a docs CI runs them.
// - 30 runbooks (runbooks/istio.md and runbooks/pipelines.md, 15 copies each, every copy in its own folder with
//   its own config, so each could take its own namespace on a shared cluster) at --concurrency 2 vs one at a time;
// - the same 30 with every recorded output drifted, at --concurrency 2, vs the passing set: a failing doc set
//   should cost about what a passing one does (read-only steps retry only on transient answers);
// - 20 copies of the istio runbook at --concurrency 4 vs 1, and at 4 shared with worker threads (RUNBOOK_WORKERS=1)
//   vs all on the main thread (the default).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ratioOf, timeCommand } from './lib.mjs';
import { cli, root } from './peers.mjs';

/** Copies runbooks/ into `dir` keeping only the runbook `keep` (its config and protos come along). */
function copyOf(dir, keep) {
  const other = new RegExp(`/runbooks/(?!${keep.replace('.', '\\.')}$)[^/]+\\.md$`);
  cpSync(path.join(root, 'runbooks'), dir, { recursive: true, filter: (from) => !other.test(from) });
  return path.join(dir, keep);
}

/**
 * Makes every recorded output of `file` differ: a line `drifted` goes first in each, at the line the plan says
 * the recording starts (`runbook list --json`), so the runbook's own parser decides where outputs are.
 */
export function driftAll(file) {
  const plan = JSON.parse(execFileSync(process.execPath, [cli, 'list', file, '--json'], { encoding: 'utf8' }));
  const lines = readFileSync(file, 'utf8').split('\n');
  const starts = plan.steps.map((s) => s.expected?.location).filter((l) => l?.format === 'markdown');
  for (const { startLine, indent } of starts.sort((a, b) => b.startLine - a.startLine)) lines.splice(startLine - 1, 0, `${indent}drifted`);
  writeFileSync(file, lines.join('\n'));
}

/** `copies` copies of each runbook in `names` under `dir`, optionally all drifted. */
export function docSet(dir, names, copies, { drift = false } = {}) {
  for (let i = 0; i < copies; i++) {
    for (const name of names) {
      const file = copyOf(path.join(dir, `${name.replace(/\.md$/, '')}-${String(i).padStart(2, '0')}`), name);
      if (drift) driftAll(file);
    }
  }
  return dir;
}

/** `runbook run DIR --sandbox`; `env` may set RUNBOOK_WORKERS=1 (runbooks shared with worker threads). */
const runDir = (dir, concurrency, env = {}) => () =>
  timeCommand(process.execPath, [cli, 'run', dir, '--sandbox', '--concurrency', String(concurrency), '--reporter', 'plain'], { env: { NO_COLOR: '1', ...env }, allowFail: true });

/** Runs each of `subjects` once per round, in an order rotated every round; per-subject results in rounds. */
async function rounds(subjects, n) {
  const results = subjects.map(() => []);
  for (let round = 0; round < n; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      results[i].push(await subjects[i]());
    }
  }
  return results;
}

const exits = (results, code) => results.every((r) => r.code === code);

export async function docSetRows({ row, add, work, runs }) {
  await row('docset', '30 runbooks (istio + pipelines): --concurrency 2 vs 1, and all drifted vs passing', async () => {
    const passing = docSet(path.join(work, 'docset'), ['istio.md', 'pipelines.md'], 15);
    const drifted = docSet(path.join(work, 'docset-drifted'), ['istio.md', 'pipelines.md'], 15, { drift: true });
    const [two, one, failing] = await rounds([runDir(passing, 2), runDir(passing, 1), runDir(drifted, 2)], runs);
    if (!exits(two, 0) || !exits(one, 0)) throw new Error(`the passing doc set failed:\n${[...two, ...one].find((r) => r.code !== 0)?.stdout.slice(-1500)}`);
    if (!exits(failing, 1)) throw new Error(`the drifted doc set did not exit 1:\n${failing.find((r) => r.code !== 1)?.stdout.slice(-1500)}`);
    add('30 runbooks --concurrency 2 vs 1', ratioOf(two, one), 'c=2', 'c=1', 0.6);
    add('30 runbooks drifted vs passing (c=2)', ratioOf(failing, two), 'drifted', 'passing', 1.5);
  });

  await row('many', '20 istio runbooks: --concurrency 4 vs 1', async () => {
    const dir = docSet(path.join(work, 'many'), ['istio.md'], 20);
    const [four, one, threads] = await rounds([runDir(dir, 4), runDir(dir, 1), runDir(dir, 4, { RUNBOOK_WORKERS: '1' })], runs);
    const all = [...four, ...one, ...threads];
    if (!exits(all, 0)) throw new Error(`a run failed:\n${all.find((r) => r.code !== 0)?.stdout.slice(-1500)}`);
    add('20 runbooks --concurrency 4 vs 1', ratioOf(four, one), 'c=4', 'c=1', 0.4);
    // Worker threads stay opt-in until they beat every runbook on the main thread.
    add('20 runbooks c=4: worker threads vs main thread', ratioOf(threads, four), 'threads', 'main', 1);
  });
}
