/**
 * `runbook run` finds its cluster as kubectl does, and says so when it cannot: the istio runbook passes against a
 * sandbox named through KUBECONFIG (alone, or as the second entry of a list) as it does with --kubeconfig, its
 * ingress mapping included; no kubeconfig, a missing --kubeconfig or an unknown --context is a usage error (exit 2)
 * said before anything runs, and only when a selected step needs the cluster.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalSandbox, type ExternalSandbox } from '../hardening/harness.js';
import { tempDir } from '../runner/fixtures.js';
import { ensureBuilt, runCli } from './run-cli.js';

const dir = tempDir('runbook-run-kubeconfig-');
const home = path.join(dir, 'home');
let sandbox: ExternalSandbox;
/** No KUBECONFIG and an empty home: no kubeconfig anywhere. */
const bare = { KUBECONFIG: undefined, HOME: home };

beforeAll(async () => {
  ensureBuilt();
  mkdirSync(home, { recursive: true });
  sandbox = await startExternalSandbox(dir);
}, 60_000);
afterAll(() => sandbox?.stop());

describe('the kubeconfig of a run', () => {
  it.each([
    ['KUBECONFIG=<the sandbox kubeconfig>', () => sandbox.kubeconfig],
    [
      'the sandbox kubeconfig as the 2nd entry of KUBECONFIG',
      () => {
        // First entry: another cluster, no current-context; a missing entry in between is skipped, as kubectl does.
        const first = path.join(dir, 'first');
        writeFileSync(first, 'apiVersion: v1\nkind: Config\nclusters:\n- name: elsewhere\n  cluster: {server: "https://127.0.0.1:1"}\n');
        return [first, path.join(dir, 'missing'), sandbox.kubeconfig].join(path.delimiter);
      },
    ],
  ])('runs the istio runbook through %s as with --kubeconfig, its ingress mapping included', async (_name, list) => {
    const run = await runCli(['run', 'runbooks/istio.md', '--reporter', 'plain'], { env: { KUBECONFIG: list(), HOME: home } });
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('172.21.255.1');
    expect(run.stdout).toContain(`against context runbook-sandbox at ${sandbox.api}`);
    expect(run.stdout).toMatch(/✓ runbooks\/istio\.md: 13 passed, 0 failed/);
    expect(run.code).toBe(0);
  }, 90_000);

  it('exits 2 at once without any kubeconfig, naming where it looked, when a step needs the cluster', async () => {
    const run = await runCli(['run', 'runbooks/istio.md', '--reporter', 'plain'], { env: bare });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`runbook: no kubeconfig found (looked at ${home}/.kube/config); use --kubeconfig, KUBECONFIG or --sandbox\n`);
    const missing = path.join(dir, 'nope');
    const listed = await runCli(['run', 'runbooks/istio.md'], { env: { ...bare, KUBECONFIG: missing } });
    expect([listed.code, listed.stderr]).toEqual([2, `runbook: no kubeconfig found (looked at ${missing} (from KUBECONFIG)); use --kubeconfig, KUBECONFIG or --sandbox\n`]);
  });

  it('needs no kubeconfig for a runbook (or a selection) without cluster steps', async () => {
    const file = path.join(dir, 'echo.md');
    writeFileSync(file, '```sh\n$ echo hi\n```\n\n```output\nhi\n```\n');
    const run = await runCli(['run', file, '--reporter', 'plain'], { env: bare });
    expect([run.code, run.stderr]).toEqual([0, '']);
    // Step 1 of the istio runbook is a build: no cluster needed for it alone.
    const only = await runCli(['run', 'runbooks/istio.md', '--only', '1', '--reporter', 'plain'], { env: bare });
    expect([only.code, only.stderr], only.stdout).toEqual([0, '']);
  }, 30_000);

  it('refuses a missing --kubeconfig and an unknown --context with exit 2 and what exists', async () => {
    const missing = await runCli(['run', 'runbooks/istio.md', '--kubeconfig', path.join(dir, 'missing')], { env: bare });
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([2, '', `runbook: --kubeconfig ${path.join(dir, 'missing')}: no such file\n`]);
    const context = await runCli(['run', 'runbooks/istio.md', '--kubeconfig', sandbox.kubeconfig, '--context', 'nope'], { env: bare });
    expect([context.code, context.stdout, context.stderr]).toEqual([2, '', `runbook: --context nope: no such context in ${sandbox.kubeconfig} (contexts: runbook-sandbox)\n`]);
    const required = await runCli(['run', 'runbooks/istio.md', '--require-context', 'kind-x'], { env: { ...bare, KUBECONFIG: sandbox.kubeconfig } });
    expect([required.code, required.stdout]).toEqual([2, '']);
    expect(required.stderr).toBe(`runbook: --require-context kind-x: the context is "runbook-sandbox" (${sandbox.api}); nothing was run\n`);
  });
});
