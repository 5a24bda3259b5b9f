// `npm run bench`: one table of ratios measured side by side in this run (medians of alternating runs, with
// min and max), plus the machine line. `--write` also records the table in BENCHMARKS.md.
// Rows whose peer is missing (jupyter, cram, wrk) say so instead of failing the whole run.
// `node bench/run.mjs --only cold-run,docset` runs only those rows (`--list` names them all), so one thing can be
// measured alone on a shared machine; the shared sandbox starts only when a chosen row needs it.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineLine, median, sideBySide, table, timeCommand } from './lib.mjs';
import { startRows } from './start-rows.mjs';
import { docSetRows } from './docset-rows.mjs';
import { bashScript, cli, cramBin, ensureTxm, istioWithoutGrpc, notebookOf, shims, startSandbox, trivialCells } from './peers.mjs';
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
  const cpu = r.subjectCpuMs / r.baselineCpuMs;
  console.error(`  ${name}: ${r.ratio.toFixed(2)} wall; CPU ${fmtMs(r.subjectCpuMs)} vs ${fmtMs(r.baselineCpuMs)} = ${cpu.toFixed(2)}`);
}

/** Every row's key, in the order they run; `--only` picks among them. */
const KEYS = ['cold-version', 'cold-list', 'cold-run', 'code-cache', 'sandbox-start', 'compare', 'istio-bash', 'istio-jupyter', 'wait', 'rest', 'pipelines', 'models-memory', 'echo', 'python', 'seldon', 'overhead', 'docset', 'many'];
const SANDBOX_ROWS = ['istio-bash', 'istio-jupyter', 'wait', 'rest', 'pipelines', 'models-memory'];
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg === -1 ? undefined : new Set(process.argv[onlyArg + 1]?.split(',') ?? []);
if (process.argv.includes('--list')) {
  console.log(KEYS.join('\n'));
  process.exit(0);
}
for (const key of only ?? []) if (!KEYS.includes(key)) throw new Error(`--only ${key}: no such row; rows: ${KEYS.join(', ')}`);
const chosen = (key) => !only || only.has(key);

async function row(key, name, fn) {
  if (!chosen(key)) return;
  console.error(`· ${name}`);
  try {
    await fn();
  } catch (error) {
    console.error(String(error.stack ?? error));
    rows.push([name, '—', '—', '—', '—', `skipped: ${String(error.message ?? error).split('\n')[0].slice(0, 80)}`]);
  }
}

const run = (args, opts) => () => timeCommand(node, [cli, ...args], opts);

await startRows({ row, add, work, runs: N });

await row('sandbox-start', 'sandbox start: runbook sandbox to ready vs node -e ""', async () => {
  const r = await (await import('./sandbox-start.mjs')).sandboxStart({ work, runs: N });
  rows.push(['sandbox start to ready', `sandbox ${fmtMs(r.subjectMs)}`, `node ${fmtMs(r.baselineMs)}`, `${r.ratio.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`, '< 1 s to ready', r.subjectMs < 1000 ? 'yes' : 'NO']);
});

await row('compare', 'compare: two 500-cell notebooks', async () => {
  const [a, b] = compareNotebooks(path.join(work, 'compare'));
  const times = [];
  for (let i = 0; i < N; i++) times.push((await timeCommand(node, [cli, 'compare', a, b], { allowFail: true })).ms);
  const ms = median(times);
  rows.push(['compare, two 500-cell notebooks', `runbook ${fmtMs(ms)} median`, '—', '—', '< 1 s', ms < 1000 ? 'yes' : 'NO']);
});

const sandbox = SANDBOX_ROWS.some(chosen) ? await startSandbox(['--load-delay', '300ms']) : undefined;
if (sandbox) try {
  const env = { KUBECONFIG: sandbox.kubeconfig, KUBECACHEDIR: path.join(work, 'kube-cache'), NO_COLOR: '1' };
  const runbook = istioWithoutGrpc(work);
  const bin = shims(work, sandbox.connectTo);
  const script = path.join(work, 'istio.sh');
  writeFileSync(script, bashScript(runbook));

  await row('istio-bash', 'istio runbook vs bash with kubectl and curl', async () => {
    const r = await sideBySide(
      run(['run', runbook, '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain'], { env }),
      () => timeCommand('bash', [script], { env: { ...env, PATH: `${bin}:${process.env.PATH}` } }),
      N,
    );
    add('istio vs bash+kubectl+curl', r, 'runbook', 'bash', 0.6);
    rows.push(['peak memory of one istio run', `${r.subjectMb.toFixed(0)} MB`, `bash+kubectl ${r.baselineMb.toFixed(0)} MB`, '—', '≤ 120 MB', r.subjectMb <= 120 ? 'yes' : 'NO']);
  });

  await row('istio-jupyter', 'istio runbook vs jupyter nbconvert --execute', async () => {
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

  await row('wait', 'wait reaction: runbook vs kubectl wait', async () => {
    const r = await waitReaction({ cli, sandbox, env, work, runs: N });
    rows.push(['wait reaction (ready → exit)', `runbook ${fmtMs(r.subject)}`, `kubectl ${fmtMs(r.baseline)}`, `${(r.subject / r.baseline).toFixed(2)}`, 'step within 25 ms of Ready', r.stepMs <= 25 ? `yes (step ${r.stepMs.toFixed(0)} ms)` : `NO (step ${r.stepMs.toFixed(0)} ms)`]);
  });

  await row('rest', 'sandbox REST inference vs bare node http (wrk, 16 connections)', async () => {
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

  // pipelines.mjs names its two rows; both run under the one key.
  if (chosen('pipelines')) await (await import('./pipelines.mjs')).pipelineRows({ row: (name, fn) => row('pipelines', name, fn), rows, sandbox, env, work });

  await row('models-memory', 'sandbox memory with 100 models', async () => {
    const mb = await modelsMemory({ env, work, count: 100 });
    rows.push(['sandbox peak RSS, 100 models', `${mb.toFixed(0)} MB`, '—', '—', '< 150 MB', mb < 150 ? 'yes' : 'NO']);
  });
} finally {
  await sandbox.stop();
}

await row('echo', 'executor overhead: 13 echo cells', async () => {
  const dir = path.join(work, 'echo');
  trivialCells(dir);
  const txm = ensureTxm(path.join(tmpdir(), 'runbook-bench-peers'));
  const ours = run(['run', path.join(dir, 'echo.md'), '--reporter', 'plain'], { env: { NO_COLOR: '1' } });
  add('13 echo cells vs txm', await sideBySide(ours, () => timeCommand(txm, [path.join(dir, 'echo-txm.md')], { env: { NO_COLOR: '1' } }), N), 'runbook', 'txm', 0.5);
  const cram = cramBin();
  if (cram) add('13 echo cells vs cram', await sideBySide(ours, () => timeCommand(cram, [path.join(dir, 'echo.t')]), N), 'runbook', 'cram', 2.0);
  else rows.push(['13 echo cells vs cram', '—', '—', '—', '≤ 2 wall', 'skipped: cram not installed']);
  add(
    '13 echo cells vs jupyter',
    await sideBySide(ours, () => timeCommand('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', path.join(dir, 'out.ipynb'), path.join(dir, 'echo.ipynb')]), 3),
    'runbook',
    'jupyter',
    0.05,
  );
});

await row('python', 'python cells: 20 trivial cells vs jupyter nbconvert --execute', async () => add('20 Python cells vs jupyter', await pythonCells({ work, runs: Math.max(3, Math.min(N, 5)) }), 'runbook', 'jupyter', 0.3));

await row('seldon', 'seldon: 20 seldon model infer steps vs 20 curl steps', async () => add('20 seldon infer vs curl', await (await import('./seldon.mjs')).seldonInfer({ work, runs: N }), 'seldon', 'curl', 1.2));

await row('overhead', 'runner overhead per step', async () => {
  const dir = path.join(work, 'echo');
  trivialCells(dir);
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

await docSetRows({ row, add, work, runs: Number(process.env.BENCH_DOCSET_RUNS ?? 3) });

const header = ['row', 'subject', 'baseline', 'ratio median (min–max)', 'target', 'met'];
const output = `${machineLine()}\n\n${table(header, rows)}\n`;
process.stdout.write(output);
if (process.argv.includes('--write')) {
  const { updateBenchmarksFile } = await import('./write.mjs');
  updateBenchmarksFile(output);
}
rmSync(work, { recursive: true, force: true });
