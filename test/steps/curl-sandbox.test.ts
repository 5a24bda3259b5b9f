import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../tools.js';
import { parseConnectTo } from '../../src/net/connect-to.js';
import { httpPool } from '../../src/net/http-pool.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { context, curlArgs, normalise, runNative, runReal, tempDir } from './curl-harness.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ loadDelayMs: 10 });
  dir = await tempDir();
});
afterAll(() => sandbox.stop());

needs('/usr/bin/curl 7.88').test('curl step equals /usr/bin/curl against the sandbox ingress (no route: Envoy 404)', async () => {
  const args = curlArgs(`http://${sandbox.ingressIp}/v2/models/iris/infer`, {
    verbose: true,
    headers: ['Content-Type: application/json'],
    data: [{ flag: 'data', value: '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}' }],
    connectTo: [sandbox.connectTo],
  });
  const [native, real] = await Promise.all([runNative(args, context(dir)), runReal(args, dir)]);
  const norm = (t: string) => normalise(t, [sandbox.ingressPort]).replace(/^(< x-envoy-upstream-service-time: )\d+/m, '$1[T]');
  expect({ ...native, data: undefined, screen: undefined, stdout: norm(native.stdout), stderr: norm(native.stderr) })
    .toEqual({ stdout: norm(real.stdout), stderr: norm(real.stderr), exitCode: real.exitCode, data: undefined, screen: undefined });
  expect(native.stderr).toContain('> POST /v2/models/iris/infer HTTP/1.1\r\n');
});

test('the sandbox mapping from the run is invisible: the transcript shows the ingress address', async () => {
  const ctx = context(dir, { connectTo: [parseConnectTo(sandbox.connectTo)!] });
  const out = await runNative(curlArgs(`http://${sandbox.ingressIp}/v2/health/live`, { verbose: true, silent: true }), ctx);
  expect(out.stderr).toContain(`*   Trying ${sandbox.ingressIp}:80...\n* Connected to ${sandbox.ingressIp} (${sandbox.ingressIp}) port 80 (#0)\n`);
  expect(out.data?.type).toBe('http');
  await httpPool(ctx.cache).close();
});
