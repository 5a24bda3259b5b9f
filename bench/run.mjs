// `npm run bench`: one table of ratios measured side by side in this run (medians of alternating runs, with
// min and max), plus the machine line. `--write` also records the table in BENCHMARKS.md.
// Rows whose peer is missing (jupyter, cram, wrk) say so instead of failing the whole run.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineLine, median, sideBySide, table, timeCommand } from './lib.mjs';
import { bashScript, cli, ensureTxm, istioWithoutGrpc, notebookOf, root, shims, startSandbox, trivialCells } from './peers.mjs';
import { restThroughput, waitReaction, modelsMemory } from './sandbox-rows.mjs';
import { compareNotebooks } from './compare-rows.mjs';
import { pythonCells } from './python.mjs';

const N = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-'));
const node = process.execPath;
const rows = [];
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (mb) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : '?');

function add(name, r, subject, baseline, target, unit = 'wall') {
  const met = r.ratio <= target ? 'yes' : 'NO';
  rows.push([
    name,
    `${subject} ${fmtMs(r.subjectMs)} (${fmtMb(r.subjectMb)})`,
    `${baseline} ${fmtMs(r.baselineMs)} (${fmtMb(r.baselineMb)})`,
    `${r.ratio.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`,
    `≤ ${target} ${unit}`,
    met,
  ]);
  console.error(`  ${name}: ${r.ratio.toFixed(2)}`);
}

async function row(name, fn) {
  console.error(`· ${name}`);
  try {
    await fn();
  } catch (error) {
    console.error(String(error.stack ?? error));
    rows.push([name, '—', '—', '—', '—', `skipped: ${String(error.message ?? error).split('\n')[0].slice(0, 80)}`]);
  }
}

const run = (args, opts) => () => timeCommand(node, [cli, ...args], opts);

await row('cold start: runbook --version vs node -e ""', async () => {
  add('cold start --version', await sideBySide(run(['--version']), () => timeCommand(node, ['-e', '']), N), 'runbook', 'node', 1.5);
});

await row('cold start: runbook list istio.md vs node -e ""', async () => {
  add('cold start list', await sideBySide(run(['list', 'runbooks/istio.md'], { cwd: root }), () => timeCommand(node, ['-e', '']), N), 'runbook', 'node', 2.5);
});

await row('sandbox start: runbook sandbox to ready vs node -e ""', async () => {
  const r = await (await import('./sandbox-start.mjs')).sandboxStart({ work, runs: N });
  rows.push(['sandbox start to ready', `sandbox ${fmtMs(r.subjectMs)}`, `node ${fmtMs(r.baselineMs)}`, `${r.ratio.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`, '< 1 s to ready', r.subjectMs < 1000 ? 'yes' : 'NO']);
});

await row('compare: two 500-cell notebooks', async () => {
  const [a, b] = compareNotebooks(path.join(work, 'compare'));
  const times = [];
  for (let i = 0; i < N; i++) times.push((await timeCommand(node, [cli, 'compare', a, b], { allowFail: true })).ms);
  const ms = median(times);
  rows.push(['compare, two 500-cell notebooks', `runbook ${fmtMs(ms)} median`, '—', '—', '< 1 s', ms < 1000 ? 'yes' : 'NO']);
});

const sandbox = await startSandbox(['--load-delay', '300ms']);
try {
  const env = { KUBECONFIG: sandbox.kubeconfig, KUBECACHEDIR: path.join(work, 'kube-cache'), NO_COLOR: '1' };
  const runbook = istioWithoutGrpc(work);
  const bin = shims(work, sandbox.connectTo);
  const script = path.join(work, 'istio.sh');
  writeFileSync(script, bashScript(runbook));

  await row('istio runbook vs bash with kubectl and curl', async () => {
    const r = await sideBySide(
      run(['run', runbook, '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain'], { env }),
      () => timeCommand('bash', [script], { env: { ...env, PATH: `${bin}:${process.env.PATH}` } }),
      N,
    );
    add('istio vs bash+kubectl+curl', r, 'runbook', 'bash', 0.6);
    rows.push(['peak memory of one istio run', `${r.subjectMb.toFixed(0)} MB`, `bash+kubectl ${r.baselineMb.toFixed(0)} MB`, '—', '< 150 MB', r.subjectMb < 150 ? 'yes' : 'NO']);
  });

  await row('istio runbook vs jupyter nbconvert --execute', async () => {
    const nb = path.join(path.dirname(runbook), 'istio-nogrpc.ipynb');
    notebookOf(runbook, nb);
    const r = await sideBySide(
      run(['run', runbook, '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain'], { env }),
      () =>
        timeCommand('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', path.join(work, 'out.ipynb'), nb], {
          env: { ...env, PATH: `${bin}:${process.env.PATH}` },
        }),
      Math.max(3, Math.min(N, 5)),
    );
    add('istio vs jupyter (checks nothing)', r, 'runbook', 'jupyter', 0.25);
  });

  await row('wait reaction: runbook vs kubectl wait', async () => {
    const r = await waitReaction({ cli, sandbox, env, work, runs: N });
    rows.push(['wait reaction (ready → exit)', `runbook ${fmtMs(r.subject)}`, `kubectl ${fmtMs(r.baseline)}`, `${(r.subject / r.baseline).toFixed(2)}`, 'step within 25 ms of Ready', r.stepMs <= 25 ? `yes (step ${r.stepMs.toFixed(0)} ms)` : `NO (step ${r.stepMs.toFixed(0)} ms)`]);
  });

  await row('sandbox REST inference vs bare node http (wrk, 16 connections)', async () => {
    const r = await restThroughput({ sandbox, env, work });
    rows.push([
      'REST infer through ingress vs bare http',
      `ingress ${r.subject.rps.toFixed(0)} req/s, p99 ${r.subject.p99.toFixed(1)} ms`,
      `bare ${r.baseline.rps.toFixed(0)} req/s, p99 ${r.baseline.p99.toFixed(1)} ms`,
      (r.subject.rps / r.baseline.rps).toFixed(2),
      '≥ 0.40 req/s, p99 < 25 ms',
      r.subject.rps / r.baseline.rps >= 0.4 && r.subject.p99 < 25 ? 'yes' : 'NO',
    ]);
  });

  await (await import('./pipelines.mjs')).pipelineRows({ row, rows, sandbox, env, work });

  await row('sandbox memory with 100 models', async () => {
    const mb = await modelsMemory({ env, work, count: 100 });
    rows.push(['sandbox peak RSS, 100 models', `${mb.toFixed(0)} MB`, '—', '—', '< 150 MB', mb < 150 ? 'yes' : 'NO']);
  });
} finally {
  await sandbox.stop();
}

await row('executor overhead: 13 echo cells', async () => {
  const dir = path.join(work, 'echo');
  trivialCells(dir);
  const txm = ensureTxm(path.join(tmpdir(), 'runbook-bench-peers'));
  const ours = run(['run', path.join(dir, 'echo.md'), '--reporter', 'plain'], { env: { NO_COLOR: '1' } });
  add('13 echo cells vs txm', await sideBySide(ours, () => timeCommand(txm, [path.join(dir, 'echo-txm.md')], { env: { NO_COLOR: '1' } }), N), 'runbook', 'txm', 0.5);
  add('13 echo cells vs cram', await sideBySide(ours, () => timeCommand('cram3', [path.join(dir, 'echo.t')]), N), 'runbook', 'cram', Infinity, 'report only');
  add(
    '13 echo cells vs jupyter',
    await sideBySide(ours, () => timeCommand('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', path.join(dir, 'out.ipynb'), path.join(dir, 'echo.ipynb')]), 3),
    'runbook',
    'jupyter',
    0.05,
  );
});

await row('python cells: 20 trivial cells vs jupyter nbconvert --execute', async () => add('20 Python cells vs jupyter', await pythonCells({ work, runs: Math.max(3, Math.min(N, 5)) }), 'runbook', 'jupyter', 0.3));

await row('seldon: 20 seldon model infer steps vs 20 curl steps', async () => add('20 seldon infer vs curl', await (await import('./seldon.mjs')).seldonInfer({ work, runs: N }), 'seldon', 'curl', 1.2));

await row('runner overhead per step', async () => {
  const dir = path.join(work, 'echo');
  const overheads = [];
  for (let i = 0; i < N; i++) {
    const report = path.join(dir, `overhead-${i}.json`);
    await timeCommand(node, [cli, 'run', path.join(dir, 'echo.md'), '--reporter', `json=${report}`], { env: { NO_COLOR: '1' } });
    const { runbooks } = JSON.parse(readFileSync(report, 'utf8'));
    // Per step: the time from the previous step's end to this one's, minus the step's own work.
    const steps = runbooks[0].steps;
    for (let j = 1; j < steps.length; j++) overheads.push(steps[j].endedAt - steps[j - 1].endedAt - steps[j].workMs);
  }
  const ms = median(overheads);
  rows.push(['runner overhead per step (13 echo cells)', `${ms.toFixed(2)} ms median`, '—', '—', '< 2 ms median', ms < 2 ? 'yes' : 'NO']);
});

await row('throughput: 20 runbooks, --concurrency 4 vs 1', async () => {
  const dir = path.join(work, 'many');
  const { cpSync } = await import('node:fs');
  for (let i = 0; i < 20; i++) cpSync(path.join(root, 'runbooks'), path.join(dir, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
  const args = (c) => ['run', dir, '--sandbox', '--concurrency', String(c), '--reporter', 'plain'];
  const r = await sideBySide(run(args(4), { env: { NO_COLOR: '1' } }), run(args(1), { env: { NO_COLOR: '1' } }), 3);
  add('20 runbooks --concurrency 4 vs 1', r, 'c=4', 'c=1', 1 / 2.5);
});

const header = ['row', 'subject', 'baseline', 'ratio median (min–max)', 'target', 'met'];
const output = `${machineLine()}\n\n${table(header, rows)}\n`;
process.stdout.write(output);
if (process.argv.includes('--write')) {
  const { updateBenchmarksFile } = await import('./write.mjs');
  updateBenchmarksFile(output);
}
rmSync(work, { recursive: true, force: true });
