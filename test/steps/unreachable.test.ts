import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { loadKubeAccess } from '../../src/kube/access.js';
import { apply } from '../../steps/apply.js';
import { capture } from '../../steps/capture.js';
import { deleteStep } from '../../steps/delete.js';
import { wait } from '../../steps/wait.js';
import type { StepContext, StepOutput } from '../../src/core/step.js';

let dir: string;
let kubeconfig: string;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-unreachable-'));
  // A port that was free a moment ago: nothing listens there.
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]\ncurrent-context: x\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ctx(): StepContext {
  return {
    cwd: dir,
    vars: {},
    kube: () => loadKubeAccess({ kubeconfig }),
    signal: AbortSignal.timeout(10_000),
    deadline: Date.now() + 10_000,
    connectTo: [],
    write: () => {},
    cache: new Map(),
  };
}

function kubectl(args: string[], stdin = ''): Promise<StepOutput> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args], (error, stdout, stderr) =>
      resolve({ stdout, stderr, exitCode: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    );
    child.stdin?.end(stdin);
  });
}

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';

needs('kubectl 1.32').describe('an unreachable API server', () => {
  it('fails every kind of step with kubectl message, once, and fast', async () => {
    const expected = `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?\n`;
    const real = await kubectl(['get', 'configmap', 'a', '-o', 'jsonpath={.metadata.name}']);
    // kubectl first logs each failed discovery through klog (timestamped, volatile); its message comes last.
    const withoutKlog = real.stderr.replace(/^E\d{4} .*\n/gm, '');
    expect({ ...real, stderr: withoutKlog }).toEqual({ stdout: '', stderr: expected, exitCode: 1 });
    const started = Date.now();
    const outputs = [
      await apply.run({ source: { type: 'stdin', text: cm }, serverSide: false }, ctx()),
      await deleteStep.run({ target: { type: 'manifests', source: { type: 'stdin', text: cm } }, ignoreNotFound: false, wait: true }, ctx()),
      await wait.run({ for: { type: 'condition', condition: 'Ready', value: 'True' }, timeoutMs: 5000, resource: 'model', names: ['a'], all: false }, ctx()),
      await capture.run({ variable: 'V', command: '', get: { resource: 'configmap', name: 'a', jsonpath: '{.metadata.name}' }, firstLine: true, exported: false, displayed: false }, ctx()),
    ];
    for (const out of outputs) expect(out).toMatchObject({ stdout: '', stderr: expected, exitCode: 1 });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
