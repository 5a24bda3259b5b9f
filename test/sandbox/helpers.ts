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
import type { Sandbox, SandboxInternals, StartDataPlane } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxOptions } from '../../src/sandbox/types.js';
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
        async load({ name, version, storageUri }) {
          if (!/^gs:\/\/seldon-models\/.*iris/.test(storageUri)) {
            throw new ModelLoadError('ScheduleFailed', `failed to load model from ${storageUri}: unknown storage URI`);
          }
          loaded.set(name, version);
        },
        unload({ name }) {
          loaded.delete(name);
        },
        artefact: () => undefined,
      },
      // The control plane tests load no pipelines or experiments through this stand-in.
      pipelines: { async load() {}, unload() {} },
      experiments: { start() {}, stop() {} },
      topics: { read: () => [], names: () => [], partition: () => undefined },
      meshPort: (server.address() as AddressInfo).port,
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

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const cas = new Map<string, string>();

/** The CA in a kubeconfig the sandbox wrote. */
export async function caOf(kubeconfigPath: string): Promise<string> {
  const known = cas.get(kubeconfigPath);
  if (known) return known;
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('yaml');
  const doc = parse(await readFile(kubeconfigPath, 'utf8')) as { clusters: { cluster: Record<string, string> }[] };
  const ca = Buffer.from(doc.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString();
  cas.set(kubeconfigPath, ca);
  return ca;
}

/** One raw HTTPS request to the sandbox API; `token: null` sends none. */
export async function request(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string | null; accept?: string } = {},
): Promise<HttpResult> {
  const https = await import('node:https');
  const ca = await caOf(sandbox.kubeconfigPath);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  const token = options.token === undefined ? sandbox.token : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    // Node sends a DELETE body without framing unless told its length.
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, sandbox.apiUrl), { method, headers, ca }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface WatchStream {
  status: number;
  /** Events received so far. */
  events: { type: string; object: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves when `count` events have arrived (or rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch and collects its newline-delimited events. */
export async function watch(sandbox: Sandbox, path: string): Promise<WatchStream> {
  const https = await import('node:https');
  const ca = await caOf(sandbox.kubeconfigPath);
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, sandbox.apiUrl), { headers: { authorization: `Bearer ${sandbox.token}` }, ca }, (res) => {
      const events: WatchStream['events'] = [];
      let buffer = '';
      const waiters: (() => void)[] = [];
      res.on('data', (d: Buffer) => {
        buffer += d.toString();
        let i;
        while ((i = buffer.indexOf('\n')) !== -1) {
          events.push(JSON.parse(buffer.slice(0, i)));
          buffer = buffer.slice(i + 1);
        }
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((r) => res.on('close', () => r()));
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended,
        close: () => req.destroy(),
        waitFor: (count, ms = 5000) =>
          new Promise<void>((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`timed out waiting for ${count} events, got ${JSON.stringify(events)}`)), ms);
            const check = () => {
              if (events.length >= count) {
                clearTimeout(timer);
                ok();
              } else waiters.push(check);
            };
            check();
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A test sandbox with one namespace created through the API (no kubectl start). */
export async function startTestSandboxWithNamespace(namespace: string): Promise<TestSandbox> {
  const sb = await startTestSandbox();
  await request(sb, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  return sb;
}

/** Polls until `get` answers something `accept` takes, or gives the last answer after ~1 s (controllers act after the write that triggers them). */
export async function until<T>(get: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await get();
    if (accept(value) || i === 50) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
