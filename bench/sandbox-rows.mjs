// Rows that measure the sandbox itself or react to it: wait reaction, REST throughput, memory with many models.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Agent, request } from 'undici';
import { median, timeCommand } from './lib.mjs';
import { root, startSandbox } from './peers.mjs';

const kubectl = (args, env, input) => execFileSync('kubectl', args, { env: { ...process.env, ...env }, input, encoding: 'utf8' });

function modelYaml(name) {
  return `apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: ${name}\n  namespace: seldon-mesh\nspec:\n  storageUri: gs://seldon-models/mlserver/iris\n  requirements: [sklearn]\n`;
}

/** Watches Models through the API and resolves with the epoch ms at which `name` turned Ready. */
function readyAt(kubeconfig, name) {
  const config = parse(readFileSync(kubeconfig, 'utf8'));
  const cluster = config.clusters[0].cluster;
  const token = config.users[0].user.token;
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined;
  const dispatcher = new Agent({ connect: { ca } });
  const url = `${cluster.server}/apis/mlops.seldon.io/v1alpha1/namespaces/seldon-mesh/models?watch=true&fieldSelector=metadata.name%3D${name}`;
  const ready = (o) => o?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  return new Promise((resolve, reject) => {
    request(url, { headers: { authorization: `Bearer ${token}` }, dispatcher })
      .then(async ({ body }) => {
        let buffer = '';
        for await (const chunk of body) {
          buffer += chunk;
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const event = JSON.parse(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
            if (ready(event.object)) {
              resolve(Date.now());
              body.destroy();
              dispatcher.close();
              return;
            }
          }
        }
      })
      .catch(reject);
  });
}

/** Time from Ready to exit for `runbook run` of one wait cell and for `kubectl wait`, with a 1.5 s load delay. */
export async function waitReaction({ cli, work, runs }) {
  const sandbox = await startSandbox(['--load-delay', '1500ms']);
  const env = { KUBECONFIG: sandbox.kubeconfig, KUBECACHEDIR: path.join(work, 'kube-cache-wait'), NO_COLOR: '1' };
  const ours = [];
  const theirs = [];
  const steps = [];
  try {
    for (let i = 0; i < runs * 2; i++) {
      const name = `wait-${i}`;
      const useOurs = i % 2 === 0;
      const file = path.join(work, `${name}.md`);
      const report = path.join(work, `${name}.json`);
      const cmd = `kubectl wait --for condition=ready --timeout=30s model/${name} -n seldon-mesh`;
      writeFileSync(file, `\`\`\`python\n!${cmd}\n\`\`\`\n\n    model.mlops.seldon.io/${name} condition met\n`);
      const ready = readyAt(sandbox.kubeconfig, name);
      kubectl(['apply', '-f', '-'], env, modelYaml(name));
      const exited = useOurs
        ? timeCommand(process.execPath, [cli, 'run', file, '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain', '--reporter', `json=${report}`], { env })
        : timeCommand('kubectl', cmd.split(' ').slice(1), { env });
      await exited;
      const end = Date.now();
      const at = await ready;
      (useOurs ? ours : theirs).push(end - at);
      if (useOurs) {
        const step = JSON.parse(readFileSync(report, 'utf8')).runbooks[0].steps[0];
        if (step.endedAt) steps.push(step.endedAt - at);
      }
    }
  } finally {
    await sandbox.stop();
  }
  return { subject: median(ours), baseline: median(theirs), stepMs: steps.length ? median(steps) : NaN };
}

function wrk(url, luaDir, body, headers) {
  const script = path.join(luaDir, 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n${Object.entries(headers)
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
      .join('\n')}\n`,
  );
  const out = execFileSync('wrk', ['-t2', '-c16', '-d4s', '--latency', '-s', script, url], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const scale = { us: 0.001, ms: 1, s: 1000 }[p99[2]];
  return { rps, p99: Number(p99[1]) * scale };
}

/** Requests/s and p99 of iris REST inference through the ingress versus a bare Node server with a constant body. */
export async function restThroughput({ sandbox, env, work }) {
  const build = kubectl(['kustomize', path.join(root, 'runbooks/config/single-model')], env);
  kubectl(['apply', '-f', '-'], env, build);
  kubectl(['wait', '--for', 'condition=ready', '--timeout=30s', 'model', '--all', '-n', 'seldon-mesh'], env);
  const body = '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}';
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `const b=JSON.stringify({model_name:'iris_1',model_version:'1',id:'83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5',parameters:null,outputs:[{name:'predict',shape:[1],datatype:'INT64',parameters:null,data:[2]}]});
       require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end(b)})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise((resolve) => bare.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  try {
    const headers = { 'Content-Type': 'application/json', Host: '172.21.255.1' };
    const results = { subject: [], baseline: [] };
    for (let i = 0; i < 2; i++) {
      results.subject.push(wrk(`http://127.0.0.1:${sandbox.ingressPort}/v2/models/iris/infer`, work, body, headers));
      results.baseline.push(wrk(`http://127.0.0.1:${port}/v2/models/iris/infer`, work, body, headers));
    }
    const pick = (xs) => ({ rps: median(xs.map((x) => x.rps)), p99: median(xs.map((x) => x.p99)) });
    return { subject: pick(results.subject), baseline: pick(results.baseline) };
  } finally {
    bare.kill();
    kubectl(['delete', '-f', '-'], env, build);
  }
}

/** Peak RSS (VmHWM) of a fresh sandbox process once `count` Models are Ready. */
export async function modelsMemory({ work, count }) {
  const sandbox = await startSandbox(['--load-delay', '10ms']);
  const env = { KUBECONFIG: sandbox.kubeconfig, KUBECACHEDIR: path.join(work, 'kube-cache-mem') };
  try {
    const docs = Array.from({ length: count }, (_, i) => modelYaml(`m${i}`)).join('---\n');
    kubectl(['apply', '-f', '-'], env, docs);
    kubectl(['wait', '--for', 'condition=ready', '--timeout=60s', 'model', '--all', '-n', 'seldon-mesh'], env);
    const status = readFileSync(`/proc/${sandbox.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } finally {
    await sandbox.stop();
  }
}
