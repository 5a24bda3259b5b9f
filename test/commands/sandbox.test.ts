import { readFile, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { needs } from '../tools.js';
import type { StopSignal } from '../../src/commands/sandbox.js';
import { runSandbox } from '../../src/commands/sandbox.js';
import { InputError } from '../../src/core/errors.js';
import { connectToFromKubeconfig } from '../../src/kube/kubeconfig-connect-to.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { parseSandboxFlags } from '../../src/sandbox/options.js';
import { fakeDataPlane, run } from '../sandbox/helpers.js';

describe('sandbox flags', () => {
  test('parse durations, fractions and ports', () => {
    expect(parseSandboxFlags({ loadDelay: '300ms', faultWatchDrop: '1.5s', faultRouteDelay: '2m', faultApiErrorRate: '0.25', port: '0', ingressPort: '8080' })).toEqual({
      loadDelayMs: 300,
      faultWatchDropMs: 1500,
      faultRouteDelayMs: 120_000,
      faultApiErrorRate: 0.25,
      port: 0,
      ingressPort: 8080,
    });
  });
  test.each([
    [{ loadDelay: '300' }, '--load-delay "300": expected a duration such as 500ms, 30s or 5m'],
    [{ faultApiErrorRate: '1.5' }, '--fault-api-error-rate: expected a fraction between 0 and 1 such as 0.1, got "1.5"'],
    [{ port: '70000' }, '--port: expected a port number from 0 to 65535, got "70000"'],
    [{ ingressPort: 'http' }, '--ingress-port: expected a port number from 0 to 65535, got "http"'],
  ])('reject %o', (flags, message) => {
    expect(() => parseSandboxFlags(flags)).toThrow(new InputError(message));
  });
  test('spell the flag with the prefix of the command', () => {
    expect(() => parseSandboxFlags({ faultWatchDrop: 'soon' }, '--sandbox-')).toThrow('--sandbox-fault-watch-drop "soon": expected a duration');
  });
});

describe('runbook sandbox', () => {
  function io() {
    let output = '';
    let stop: (s: StopSignal) => void = () => {};
    const printed = new Promise<void>((resolve) => {
      const check = () => (output.split('\n').length > 4 ? resolve() : setTimeout(check, 10));
      check();
    });
    return {
      io: { stdout: { write: (t: string) => (output += t) }, waitForSignal: () => new Promise<StopSignal>((r) => (stop = r)) },
      output: () => output,
      printed,
      signal: (s: StopSignal) => stop(s),
    };
  }

  needs('kubectl').test('prints where everything is, serves kubectl, and stops on SIGTERM with 0 and SIGINT with 130', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-sandbox-cmd-'));
    try {
      const kubeconfig = join(dir, 'kc', 'config');
      for (const [signal, code] of [['SIGTERM', 0], ['SIGINT', 130]] as const) {
        const t = io();
        const exit = runSandbox({ kubeconfig, loadDelay: '10ms' }, t.io, (o) => startSandbox(o, { startDataPlane: fakeDataPlane() }));
        await t.printed;
        const lines = t.output().trimEnd().split('\n');
        expect(lines[0]).toBe(`kubeconfig: ${kubeconfig}`);
        expect(lines[1]).toMatch(/^api: https:\/\/127\.0\.0\.1:\d+$/);
        const port = /^ingress: 172\.21\.255\.1:80 -> 127\.0\.0\.1:(\d+)$/.exec(lines[2]!)?.[1];
        expect(port).toBeDefined();
        expect(lines[3]).toBe(`connect-to: 172.21.255.1:80:127.0.0.1:${port}`);
        const mesh = /^seldon-mesh: 172\.21\.255\.2:80 -> 127\.0\.0\.1:(\d+)$/.exec(lines[4]!)?.[1];
        expect(mesh).toBeDefined();
        expect(lines[5]).toMatch(/^seldon-scheduler: 172\.21\.255\.3:9004 -> 127\.0\.0\.1:\d+$/);
        const kafka = /^seldon-kafka: 172\.21\.255\.4:9092 -> 127\.0\.0\.1:(\d+)$/.exec(lines[6]!)?.[1];
        expect(kafka).toBeDefined();
        expect(lines).toHaveLength(7);
        expect((await stat(kubeconfig)).mode & 0o777).toBe(0o600);
        const scheduler = /(\d+)$/.exec(lines[5]!)?.[1];
        // The kubeconfig maps the four addresses the lines name: the ingress, seldon-mesh, the scheduler and Kafka;
        // then the seldon CLI's defaults (a local install's) to the same three Seldon ports.
        expect(connectToFromKubeconfig(await readFile(kubeconfig, 'utf8'))).toEqual([
          `172.21.255.1:80:127.0.0.1:${port}`,
          `172.21.255.2:80:127.0.0.1:${mesh}`,
          `172.21.255.3:9004:127.0.0.1:${scheduler}`,
          `172.21.255.4:9092:127.0.0.1:${kafka}`,
          `0.0.0.0:9000:127.0.0.1:${mesh}`,
          `0.0.0.0:9004:127.0.0.1:${scheduler}`,
          `0.0.0.0:9092:127.0.0.1:${kafka}`,
        ]);
        const ns = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'ns', 'seldon-mesh', '-o', 'name']);
        expect(ns.stdout).toBe('namespace/seldon-mesh\n');
        t.signal(signal);
        expect(await exit).toBe(code);
        const after = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'ns', '--request-timeout=2s']);
        expect(after.code).not.toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a port in use is an InputError naming the flag', async () => {
    const first = await startSandbox({}, { startDataPlane: fakeDataPlane() });
    try {
      const port = String(new URL(first.apiUrl).port);
      const t = io();
      await expect(runSandbox({ port }, t.io, (o) => startSandbox(o, { startDataPlane: fakeDataPlane() }))).rejects.toThrow(
        new InputError(`--port: 127.0.0.1:${port} is already in use; choose another port or leave the flag out for a free one`),
      );
    } finally {
      await first.stop();
    }
  });
});
