/**
 * A whole sandbox (API server, real data plane) for the Istio tests: the real kubectl applies Gateways and
 * VirtualServices, the real curl calls the ingress through --connect-to, and test upstreams stand in for
 * Services other than seldon-mesh (an echo, slow and failing ones) so that timeouts, retries, rewrites and
 * mirrors are observable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { startDataPlane, type ServiceUpstream } from '../../../src/sandbox/dataplane/index.js';
import { stringify } from 'yaml';
import { run, type Result } from '../helpers.js';

export interface IstioCluster {
  sandbox: Sandbox;
  kubectl(args: string[], input?: string): Promise<Result>;
  /** Applies objects (as one YAML stream) and throws when kubectl fails. */
  apply(...objects: object[]): Promise<void>;
  /** curl -i to the ingress for any host; the answer parsed. */
  http(url: string, ...args: string[]): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export interface HttpAnswer {
  /** The status line, e.g. `HTTP/1.1 301 Moved Permanently`. */
  statusLine: string;
  status: number;
  /** Lowercase names, in order. */
  headers: Array<[string, string]>;
  body: string;
  /** curl's `%{time_total}` in seconds. */
  seconds: number;
}

export async function startIstioCluster(upstreams: Record<string, ServiceUpstream> = {}): Promise<IstioCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-istio-'));
  const sandbox = await startSandbox(
    { kubeconfig: join(dir, 'kubeconfig'), loadDelayMs: 20 },
    { startDataPlane: (options) => startDataPlane({ ...options, upstreams }) },
  );
  const kubectl = (args: string[], input?: string) => run('kubectl', ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], input);
  return {
    sandbox,
    kubectl,
    async apply(...objects) {
      const result = await kubectl(['apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
      if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
    },
    async http(url, ...args) {
      const result = await run('curl', ['-q', '-sS', '-i', '--connect-to', `::127.0.0.1:${sandbox.ingressPort}`, '-w', '\n%{time_total}', url, ...args]);
      if (result.code !== 0) throw new Error(`curl failed: ${result.stderr}`);
      return parseAnswer(result.stdout);
    },
    async stop() {
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function parseAnswer(stdout: string): HttpAnswer {
  const split = stdout.indexOf('\r\n\r\n');
  const head = stdout.slice(0, split).split('\r\n');
  const rest = stdout.slice(split + 4);
  const timing = rest.lastIndexOf('\n');
  const statusLine = head[0] ?? '';
  return {
    statusLine,
    status: Number(statusLine.split(' ')[1]),
    headers: head.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)] as [string, string]),
    body: rest.slice(0, timing),
    seconds: Number(rest.slice(timing + 1)),
  };
}

/** The value of a header (first of its name). */
export function header(answer: HttpAnswer, name: string): string | undefined {
  return answer.headers.find(([key]) => key === name)?.[1];
}

/** The Gateway every test VirtualService binds to: all hosts on the ingress's port 80. */
export const GATEWAY = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'default' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ hosts: ['*'], port: { name: 'http', number: 80, protocol: 'HTTP' } }] },
};

export function virtualService(name: string, hosts: string[], http: unknown[]): object {
  return { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name, namespace: 'default' }, spec: { hosts, gateways: ['gw'], http } };
}

/** A rule answering `body` directly, for telling rules apart. */
export function says(body: string, match?: unknown[]): Record<string, unknown> {
  return { ...(match ? { match } : {}), directResponse: { status: 200, body: { string: body } } };
}
