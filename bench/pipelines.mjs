// Pipeline rows of `npm run bench`: REST inference of the tfsimples pipeline (two tfsimple steps) through the
// ingress against one tfsimple model through the same ingress, and the sandbox's peak memory with 100 Triton
// models and 10 pipelines loaded. Everything is applied with kubectl from runbooks/config/pipelines.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { median } from './lib.mjs';
import { root, startSandbox } from './peers.mjs';

const kubectl = (args, env, input) => execFileSync('kubectl', args, { env: { ...process.env, ...env }, input, encoding: 'utf8' });
const config = (file) => path.join(root, 'runbooks/config/pipelines', file);
const REQUEST = JSON.stringify({
  inputs: ['INPUT0', 'INPUT1'].map((name) => ({ name, data: Array.from({ length: 16 }, (_, i) => i + 1), datatype: 'INT32', shape: [1, 16] })),
});

/** Requests/s of `connections` closed loops POSTing REQUEST for `durationMs`; every answer must be a 200. */
async function drive(port, seldonModel, { connections = 16, durationMs = 3000 } = {}) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
  const headers = { 'content-type': 'application/json', 'seldon-model': seldonModel };
  let done = 0;
  const end = performance.now() + durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      const { statusCode, body } = await pool.request({ path: '/v2/models/x/infer', method: 'POST', headers, body: REQUEST });
      await body.text();
      if (statusCode !== 200) throw new Error(`${seldonModel} answered ${statusCode}`);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return done / seconds;
}

/** Pipeline vs single-model REST inference through the ingress of a running sandbox. */
export async function pipelineThroughput({ sandbox, env, runs = 3 }) {
  const files = ['models/tfsimple1.yaml', 'models/tfsimple2.yaml', 'mesh-route.yaml', 'tfsimples.yaml'];
  kubectl(['apply', '-k', path.join(root, 'runbooks/config/gateway')], env);
  for (const file of files) kubectl(['apply', '-f', config(file)], env);
  try {
    kubectl(['wait', '--for', 'condition=ready', '--timeout=30s', 'model/tfsimple1', 'model/tfsimple2', 'pipeline/tfsimples', '-n', 'seldon-mesh'], env);
    const pipeline = [];
    const model = [];
    // Alternate, so that background load on a shared machine hits both alike.
    for (let i = 0; i < runs; i++) {
      pipeline.push(await drive(sandbox.ingressPort, 'tfsimples.pipeline'));
      model.push(await drive(sandbox.ingressPort, 'tfsimple1'));
    }
    return { pipeline: median(pipeline), model: median(model) };
  } finally {
    for (const file of files.reverse()) kubectl(['delete', '--ignore-not-found', '-f', config(file)], env);
  }
}

/** Peak RSS (VmHWM) of a fresh sandbox once 100 tfsimple Models and 10 pipelines over them are Ready. */
export async function pipelinesMemory({ work }) {
  const sandbox = await startSandbox(['--load-delay', '10ms']);
  const env = { KUBECONFIG: sandbox.kubeconfig, KUBECACHEDIR: path.join(work, 'kube-cache-pipelines') };
  try {
    const model = (i) =>
      `apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: tf${i}\n  namespace: seldon-mesh\nspec:\n  storageUri: gs://seldon-models/triton/simple\n  requirements: [tensorflow]\n  memory: 100Ki\n`;
    const pipeline = (i) =>
      `apiVersion: mlops.seldon.io/v1alpha1\nkind: Pipeline\nmetadata:\n  name: p${i}\n  namespace: seldon-mesh\nspec:\n  steps:\n  - name: tf${2 * i}\n  - name: tf${2 * i + 1}\n    inputs: [tf${2 * i}]\n    tensorMap: {tf${2 * i}.outputs.OUTPUT0: INPUT0, tf${2 * i}.outputs.OUTPUT1: INPUT1}\n  output:\n    steps: [tf${2 * i + 1}]\n`;
    kubectl(['apply', '-f', '-'], env, Array.from({ length: 100 }, (_, i) => model(i)).join('---\n'));
    kubectl(['apply', '-f', '-'], env, Array.from({ length: 10 }, (_, i) => pipeline(i)).join('---\n'));
    kubectl(['wait', '--for', 'condition=ready', '--timeout=60s', 'model', '--all', '-n', 'seldon-mesh'], env);
    kubectl(['wait', '--for', 'condition=ready', '--timeout=60s', 'pipeline', '--all', '-n', 'seldon-mesh'], env);
    const status = readFileSync(`/proc/${sandbox.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } finally {
    await sandbox.stop();
  }
}

/** Adds this file's rows to run.mjs's table (`row` catches a failing row and marks it skipped). */
export async function pipelineRows({ row, rows, sandbox, env, work }) {
  await row('pipeline REST inference vs single model through the ingress', async () => {
    const r = await pipelineThroughput({ sandbox, env });
    const ratio = r.pipeline / r.model;
    rows.push([
      'REST pipeline (2 tfsimple steps) vs 1 model, ingress',
      `pipeline ${r.pipeline.toFixed(0)} req/s`,
      `model ${r.model.toFixed(0)} req/s`,
      ratio.toFixed(2),
      '≥ 0.5 req/s',
      ratio >= 0.5 ? 'yes' : 'NO',
    ]);
  });
  await row('sandbox memory with 100 Triton models and 10 pipelines', async () => {
    const mb = await pipelinesMemory({ work });
    rows.push(['sandbox peak RSS, 100 tfsimple + 10 pipelines', `${mb.toFixed(0)} MB`, '—', '—', '< 150 MB', mb < 150 ? 'yes' : 'NO']);
  });
}

// Alone: `node bench/pipelines.mjs` prints this file's two measurements as JSON.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-pipelines-'));
  const sandbox = await startSandbox(['--load-delay', '10ms']);
  try {
    const env = { KUBECONFIG: sandbox.kubeconfig, KUBECACHEDIR: path.join(work, 'kube-cache') };
    const throughput = await pipelineThroughput({ sandbox, env });
    console.log(JSON.stringify({ ...throughput, ratio: throughput.pipeline / throughput.model }));
  } finally {
    await sandbox.stop();
  }
  console.log(JSON.stringify({ peakRssMb: await pipelinesMemory({ work }) }));
  rmSync(work, { recursive: true, force: true });
}
