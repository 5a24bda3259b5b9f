/**
 * The data plane in-process, without the API server: REST iris inference through the ingress versus a bare Node
 * `http` server answering the same constant JSON in its own process; then memory with 100 models loaded.
 * Prints its result as JSON. Run: `npx vite-node bench/dataplane.ts` (BENCH_DURATION_MS sets each run's length).
 * `npm run bench` measures the whole sandbox, through kubectl and curl, instead.
 */
import { spawn } from 'node:child_process';
import type { ClusterView, KubeObject } from '../src/sandbox/types.js';
import { startDataPlane } from '../src/sandbox/dataplane/index.js';
import { driveLoad, type LoadResult } from './load.js';

const REQUEST = '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}';
const IRIS = 'gs://seldon-models/mlserver/iris';

/** The seed's Gateway and VirtualService, fixed. */
function staticView(): ClusterView {
  const objects: KubeObject[] = [
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      metadata: { name: 'seldon-gateway', namespace: 'seldon-mesh' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ hosts: ['*'], port: { number: 80, protocol: 'HTTP', name: 'http' } }] },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'iris-route', namespace: 'seldon-mesh' },
      spec: {
        gateways: ['seldon-gateway'],
        hosts: ['*'],
        http: [{ match: [{ uri: { prefix: '/v2' } }], route: [{ destination: { host: 'seldon-mesh.seldon-mesh.svc.cluster.local' }, headers: { request: { set: { 'seldon-model': 'iris' } } } }] }],
      },
    },
  ];
  return { list: (group, kind) => objects.filter((o) => o.kind === kind && o.apiVersion.startsWith(`${group}/`)), subscribe: () => () => {} };
}

/** A bare Node server with the iris response as a constant body, in a child process. */
async function bareServer(): Promise<{ port: number; stop(): void }> {
  const body = JSON.stringify({ model_name: 'iris_1', model_version: '1', id: '83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5', parameters: null, outputs: [{ name: 'predict', shape: [1], datatype: 'INT64', parameters: null, data: [2] }] });
  const child = spawn(
    process.execPath,
    ['-e', `const b=${JSON.stringify(body)};require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end(b)})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  return { port, stop: () => child.kill() };
}

interface DataPlaneBench {
  ingress: LoadResult;
  bare: LoadResult;
  /** ingress rps / bare rps */
  ratio: number;
  startMs: number;
  /** Heap and RSS growth after loading 100 models, MB. */
  hundredModels: { heapMb: number; rssMb: number };
}

async function benchDataPlane(durationMs = 3000): Promise<DataPlaneBench> {
  const started = performance.now();
  const plane = await startDataPlane({ view: staticView(), port: 0 });
  await plane.registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 1, storageUri: IRIS, server: 'mlserver' });
  const startMs = performance.now() - started;
  const bare = await bareServer();
  try {
    const load = (url: string) =>
      driveLoad({ url, durationMs, method: 'POST', body: REQUEST, headers: { 'content-type': 'application/json', host: '172.21.255.1' } });
    // Alternate so that background load on a shared machine hits both alike.
    const ingressRuns = [await load(`http://127.0.0.1:${plane.port}/v2/models/iris/infer`)];
    const bareRuns = [await load(`http://127.0.0.1:${bare.port}/v2/models/iris/infer`)];
    ingressRuns.push(await load(`http://127.0.0.1:${plane.port}/v2/models/iris/infer`));
    bareRuns.push(await load(`http://127.0.0.1:${bare.port}/v2/models/iris/infer`));
    const best = (runs: LoadResult[]) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
    global.gc?.();
    const before = process.memoryUsage();
    for (let i = 0; i < 100; i++) await plane.registry.load({ namespace: 'seldon-mesh', name: `m${i}`, version: 1, storageUri: IRIS, server: 'mlserver' });
    global.gc?.();
    const after = process.memoryUsage();
    const ingress = best(ingressRuns);
    const baseline = best(bareRuns);
    return {
      ingress,
      bare: baseline,
      ratio: ingress.rps / baseline.rps,
      startMs,
      hundredModels: { heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMb: after.rss / 2 ** 20 },
    };
  } finally {
    bare.stop();
    await plane.close();
  }
}

console.log(JSON.stringify(await benchDataPlane(Number(process.env.BENCH_DURATION_MS ?? 3000)), null, 2));
