/**
 * Shared by the Kubernetes step tests: a sandbox API server on 127.0.0.1 (with a stub data plane whose models
 * load unless their storageUri says `unknown`), a StepContext for native steps, and the real kubectl with a
 * fresh cache dir and the sandbox's kubeconfig.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type SandboxInternals } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/types.js';
import { ModelLoadError } from '../../src/sandbox/types.js';
import { loadKubeAccess } from '../../src/kube/access.js';
import type { KubeAccess, StepContext, StepOutput } from '../../src/core/step.js';

export interface Harness {
  sandbox: Sandbox;
  dir: string;
  /** A fresh context (own cache, like a new run) rooted at `cwd` (default: the harness's temp dir). */
  ctx(options?: { cwd?: string; vars?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number }): StepContext;
  kubectl(args: string[], options?: { stdin?: string; cwd?: string }): Promise<StepOutput>;
  stop(): Promise<void>;
}

export async function startHarness(options: SandboxOptions = {}, internals: SandboxInternals = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-kube-test-'));
  const sandbox = await startSandbox(
    { loadDelayMs: 50, ...options, kubeconfig: path.join(dir, 'kubeconfig') },
    {
      ...internals,
      startDataPlane: async () => ({
        port: 9,
        close: async () => {},
        registry: {
          async load({ storageUri }) {
            if (storageUri.includes('unknown')) throw new ModelLoadError('ModelFailed', `unknown storage URI ${storageUri}`);
          },
          unload() {},
          artefact: () => undefined,
        },
        // No pipelines, experiments or topics in these tests.
        pipelines: { async load() {}, unload() {} },
        experiments: { start() {}, stop() {} },
        topics: { read: () => [], names: () => [], partition: () => undefined },
        meshPort: 9,
      }),
    },
  );
  let access: Promise<KubeAccess> | undefined;
  const clients: { close(): void }[] = [];
  return {
    sandbox,
    dir,
    ctx(opts = {}) {
      const cache = new Map<string, unknown>();
      const timeoutMs = opts.timeoutMs ?? 20_000;
      const ctx: StepContext = {
        cwd: opts.cwd ?? dir,
        vars: opts.vars ?? {},
        kube: () => (access ??= loadKubeAccess({ kubeconfig: sandbox.kubeconfigPath })),
        signal: opts.signal ?? AbortSignal.timeout(timeoutMs),
        deadline: Date.now() + timeoutMs,
        connectTo: [],
        write: () => {},
        cache,
      };
      // Close kept-alive connections at stop.
      clients.push({ close: () => cache.forEach((v) => (v as { close?: () => void } | undefined)?.close?.()) });
      return ctx;
    },
    kubectl(args, opts = {}) {
      return new Promise((resolve) => {
        const child = execFile(
          'kubectl',
          ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', path.join(dir, 'kube-cache'), ...args],
          { cwd: opts.cwd ?? dir, env: { ...process.env, KUBECONFIG: '' } },
          (error, stdout, stderr) => resolve({ stdout, stderr, exitCode: error ? ((error as { code?: number }).code ?? 1) : 0 }),
        );
        child.stdin?.end(opts.stdin ?? '');
      });
    },
    async stop() {
      clients.forEach((c) => c.close());
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
