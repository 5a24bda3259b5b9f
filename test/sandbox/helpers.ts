/**
 * Shared setup of the sandbox tests: a sandbox with a stand-in data plane (so these tests do not depend on the
 * real models), and the real kubectl with its own cache dir and the sandbox's kubeconfig.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxInternals, StartDataPlane } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/types.js';
import { ModelLoadError } from '../../src/sandbox/types.js';

/** Models the stand-in registry holds: name → version. */
export type Loaded = Map<string, number>;

/** A registry that accepts iris storage URIs, and an ingress that answers 404 to everything. */
export function fakeDataPlane(loaded: Loaded = new Map()): StartDataPlane {
  return async ({ port }) => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      registry: {
        async load(name, version, storageUri) {
          if (!/^gs:\/\/seldon-models\/.*iris/.test(storageUri)) {
            throw new ModelLoadError('ScheduleFailed', `failed to load model from ${storageUri}: unknown storage URI`);
          }
          loaded.set(name, version);
        },
        unload(name) {
          loaded.delete(name);
        },
      },
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  };
}

export interface TestSandbox extends Sandbox {
  loaded: Loaded;
  /** Runs the real kubectl against the sandbox. */
  kubectl(args: string[], input?: string): Promise<Result>;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export async function startTestSandbox(options: SandboxOptions = {}, internals: SandboxInternals = {}): Promise<TestSandbox> {
  const loaded: Loaded = new Map();
  const dir = await mkdtemp(join(tmpdir(), 'runbook-sandbox-test-'));
  const sandbox = await startSandbox(
    { loadDelayMs: 50, kubeconfig: join(dir, 'kubeconfig'), ...options },
    { startDataPlane: fakeDataPlane(loaded), ...internals },
  );
  const cacheDir = join(dir, 'kube-cache');
  return {
    ...sandbox,
    loaded,
    kubectl: (args, input) => run('kubectl', ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', cacheDir, ...args], input),
    async stop() {
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The three objects of the seed notebook's `kustomize build config/single-model`. */
export const SINGLE_MODEL = `apiVersion: mlops.seldon.io/v1alpha1
kind: Model
metadata:
  name: iris
  namespace: seldon-mesh
spec:
  requirements:
  - sklearn
  storageUri: gs://seldon-models/mlserver/iris
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: seldon-gateway
  namespace: seldon-mesh
spec:
  selector:
    app: istio-ingressgateway
    istio: ingressgateway
  servers:
  - hosts:
    - '*'
    port:
      name: http
      number: 80
      protocol: HTTP
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: iris-route
  namespace: seldon-mesh
spec:
  gateways:
  - istio-system/seldon-gateway
  hosts:
  - '*'
  http:
  - match:
    - uri:
        prefix: /v2
    name: iris-http
    route:
    - destination:
        host: seldon-mesh.seldon-mesh.svc.cluster.local
      headers:
        request:
          set:
            seldon-model: iris
`;
