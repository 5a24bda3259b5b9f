// The seldon row of the benchmarks: a runbook of 20 `seldon model infer` steps against the same 20 calls through
// the curl step, both run with `runbook run --kubeconfig` against one running sandbox where iris is loaded (target:
// ratio <= 1.2). `node bench/seldon.mjs` prints the row on its own; `pipelineRows`-style callers use seldonInfer().
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sideBySide, timeCommand } from './lib.mjs';
import { cli, root, startSandbox } from './peers.mjs';

const PAYLOAD = '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}';
const MESH = '172.21.255.2';

function runbookOf(title, command) {
  const cells = Array.from({ length: 20 }, () => ['<!-- runbook: expect=ignore -->', '```bash', command, '```', ''].join('\n'));
  return [`# ${title}`, '', ...cells].join('\n');
}

/** Wall time of 20 seldon infer steps vs 20 curl steps, runbook against runbook, on one sandbox. */
export async function seldonInfer({ work, runs = 5 }) {
  const sandbox = await startSandbox(['--load-delay', '10ms']);
  try {
    const env = { KUBECONFIG: sandbox.kubeconfig, NO_COLOR: '1' };
    const dir = path.join(work, 'seldon');
    mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, [cli, 'seldon', 'model', 'load', '-f', path.join(root, 'runbooks/config/pipelines/models/iris.yaml')], { env: { ...process.env, ...env } });
    execFileSync(process.execPath, [cli, 'seldon', 'model', 'status', 'iris', '-w', 'ModelAvailable'], { env: { ...process.env, ...env } });
    writeFileSync(path.join(dir, 'seldon.md'), runbookOf('seldon', `seldon model infer iris '${PAYLOAD}'`));
    writeFileSync(path.join(dir, 'curl.md'), runbookOf('curl', `curl -s http://${MESH}/v2/models/iris/infer -H 'Content-Type: application/json' -H 'seldon-model: iris' -d '${PAYLOAD}'`));
    const run = (file) => () => timeCommand(process.execPath, [cli, 'run', path.join(dir, file), '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain'], { env });
    return await sideBySide(run('seldon.md'), run('curl.md'), runs);
  } finally {
    await sandbox.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const r = await seldonInfer({ work: mkdtempSync(path.join(tmpdir(), 'runbook-bench-')), runs: Number(process.env.BENCH_RUNS ?? 5) });
  console.log(`20 seldon model infer steps vs 20 curl steps: ${r.subjectMs.toFixed(0)} ms vs ${r.baselineMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)}), target <= 1.2: ${r.ratio <= 1.2 ? 'yes' : 'NO'}`);
}
