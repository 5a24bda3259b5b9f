import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { needs } from '../tools.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SINGLE_MODEL, run } from './helpers.js';

/** The whole sandbox with the real data plane: kubectl applies, the model loads, curl reaches it through the ingress. */
describe('startSandbox with the real data plane', () => {
  let sb: Sandbox;
  let dir: string;
  const kubectl = (args: string[], input?: string) => run('kubectl', ['--kubeconfig', sb.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], input);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbook-sandbox-real-'));
    // Its start time is a bench row ('sandbox start to ready'), not a test.
    sb = await startSandbox({ kubeconfig: join(dir, 'kubeconfig'), loadDelayMs: 100 });
  });
  afterAll(async () => {
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
  });

  needs('kubectl 1.32', 'curl').test('kustomize | apply, wait, then curl --connect-to gets the recorded iris answer', async () => {
    const built = await run('kubectl', ['kustomize', 'runbooks/config/single-model']);
    // The runbook's own config when it is there, the seed's three objects otherwise.
    const manifests = built.code === 0 ? built.stdout : SINGLE_MODEL;
    expect((await kubectl(['apply', '-f', '-'], manifests)).stdout).toBe(
      'model.mlops.seldon.io/iris created\ngateway.networking.istio.io/seldon-gateway created\nvirtualservice.networking.istio.io/iris-route created\n',
    );
    const waited = await kubectl(['wait', '--for', 'condition=ready', '--timeout=30s', 'model', '--all', '-n', 'seldon-mesh']);
    expect(waited.stdout).toBe('model.mlops.seldon.io/iris condition met\n');
    const curl = await run('curl', [
      '-s',
      '-i',
      '--connect-to',
      sb.connectTo,
      `http://${sb.ingressIp}/v2/models/iris/infer`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}',
    ]);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(curl.stdout.toLowerCase()).toContain('seldon-route: iris_1');
    const body = JSON.parse(curl.stdout.slice(curl.stdout.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({
      model_name: 'iris_1',
      model_version: '1',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      parameters: null,
      outputs: [{ name: 'predict', shape: [1], datatype: 'INT64', parameters: null, data: [2] }],
    });
    expect((await kubectl(['delete', '-f', '-'], manifests)).code).toBe(0);
    const after = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--connect-to', sb.connectTo, `http://${sb.ingressIp}/v2/models/iris/infer`, '-d', '{}']);
    expect(after.stdout).toBe('404');
  });

  needs('kubectl 1.32', 'curl').test('a Model iris in a second namespace is a model of its own: seldon-mesh keeps its route', async () => {
    const iris = (namespace: string, requirements: string) =>
      `apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: iris\n  namespace: ${namespace}\nspec:\n  storageUri: gs://seldon-models/mlserver/iris\n  requirements: [${requirements}]\n`;
    const infer = async () => {
      const r = await run('curl', [
        '-s',
        '--connect-to',
        `${sb.meshIp}:80:127.0.0.1:${sb.meshPort}`,
        `http://${sb.meshIp}/v2/models/iris/infer`,
        '-H',
        'seldon-model: iris',
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}',
      ]);
      return (JSON.parse(r.stdout) as { model_name: string }).model_name;
    };
    // seldon-mesh's iris at version 2, team-b's at version 1: the answer names the version that served.
    await kubectl(['apply', '-f', '-'], iris('seldon-mesh', 'sklearn'));
    await kubectl(['apply', '-f', '-'], iris('seldon-mesh', 'sklearn, python'));
    await expect.poll(infer, { timeout: 5000 }).toBe('iris_2');
    await kubectl(['create', 'namespace', 'team-b']);
    await kubectl(['apply', '-f', '-'], iris('team-b', 'sklearn'));
    expect((await kubectl(['wait', '--for', 'condition=Ready', '--timeout=10s', 'model/iris', '-n', 'team-b'])).code).toBe(0);
    expect(await infer()).toBe('iris_2');
    expect((await kubectl(['delete', 'model', 'iris', '-n', 'team-b'])).code).toBe(0);
    expect(await infer()).toBe('iris_2');
    await kubectl(['delete', 'model', 'iris', '-n', 'seldon-mesh']);
  });
});
