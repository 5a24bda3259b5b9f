/**
 * The istio runbook under the sandbox's three faults together (dropped watches, 5% API errors, a 2 s route
 * delay) passes; with the API server killed in the middle of a wait, the run fails in bounded time with a
 * clear message and still writes its report. `npm run soak` runs the fault matrix 20 times; here, twice.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt } from '../commands/run-cli.js';
import { readReport, tempDir } from '../runner/fixtures.js';
import { runSignalled, startExternalSandbox, type ExternalSandbox } from './harness.js';

const dir = tempDir('runbook-faults-');
const faults = ['--sandbox-fault-watch-drop', '300ms', '--sandbox-fault-api-error-rate', '0.05', '--sandbox-fault-route-delay', '2s'];

needs('kustomize|kubectl').describe('the istio runbook under faults', () => {
  it('passes in two concurrent runs with all three faults on', async () => {
    ensureBuilt();
    const runs = await Promise.all(
      [0, 1].map((i) =>
        runSignalled(['run', 'runbooks/istio.md', '--sandbox', ...faults, '--reporter', 'plain', '--reporter', `json=${path.join(dir, `faults-${i}.json`)}`]),
      ),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const report = readReport(path.join(dir, `faults-${i}.json`));
      expect(report.summary).toMatchObject({ passed: 13, failed: 0 });
    }
  }, 90_000);
});

needs('kustomize|kubectl').describe('the API server killed in the middle of a run', () => {
  let sandbox: ExternalSandbox | undefined;
  afterAll(() => sandbox?.stop());

  it('fails within its timeouts with a clear message, exits 1 and writes the report', async () => {
    ensureBuilt();
    // Models load slowly, so the wait is certainly pending when the server dies.
    sandbox = await startExternalSandbox(dir, ['--load-delay', '5s']);
    const report = path.join(dir, 'killed.json');
    const run = await runSignalled(
      ['run', 'runbooks/istio.md', '--kubeconfig', sandbox.kubeconfig, '--retry-budget', '1s', '--timeout', '10s', '--reporter', 'plain', '--reporter', `json=${report}`],
      { when: /▶ \S+:\d+ \[3\] wait/, onMatch: () => sandbox!.process.kill('SIGKILL') },
    );
    expect(run.sent).toBe(true);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // 13 steps, each bounded by a 1 s retry budget, and a cleanup that cannot reach the server: far below the
    // wait's own --timeout=300s.
    expect(run.ms).toBeLessThan(40_000);
    const port = new URL(sandbox.api).port;
    // The location is the first recorded line that differs (issue 18): `model.mlops.seldon.io/iris condition met`.
    expect(run.stdout).toContain(`✗ runbooks/istio.md:118 [3] wait failed`);
    expect(run.stdout).toContain(`The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(report)).toBe(true);
    const written = readReport(report).runbooks[0]!;
    expect(written.status).toBe('failed');
    expect(written.steps.find((s) => s.index === 3)).toMatchObject({ status: 'failed' });
    // What the run created could not be deleted, and the report says so object by object.
    expect(written.cleanup?.left.map((l) => l.object).sort()).toEqual([
      'gateway.networking.istio.io/seldon-gateway -n seldon-mesh',
      'model.mlops.seldon.io/iris -n seldon-mesh',
      'virtualservice.networking.istio.io/iris-route -n seldon-mesh',
    ]);
    expect(run.stdout).toMatch(/cleanup: 0 deleted, 3 left/);
  }, 60_000);
});
