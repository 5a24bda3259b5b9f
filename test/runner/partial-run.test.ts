/**
 * Issue 18, end to end through the built CLI on the sandbox: the README's resume example (`--from "Traffic
 * Split"`) runs the capture its steps need, a drifted curl fails at once instead of retrying for the budget, and a
 * selection that selects nothing is a usage error.
 */
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, runCli } from '../commands/run-cli.js';
import { istioCopy, readReport, replaceOnce, tempDir } from './fixtures.js';

beforeAll(ensureBuilt);

needs('kustomize|kubectl').describe('partial runs and retries', () => {
  it('--from "Traffic Split" runs the INGRESS_IP capture first, says why, and passes', async () => {
    const dir = tempDir();
    const json = path.join(dir, 'report.json');
    const result = await runCli(['run', 'runbooks/istio.md', '--sandbox', '--from', 'Traffic Split', '--reporter', 'plain', '--reporter', `json=${json}`], {
      env: { NO_COLOR: '1' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\[0\] capture: runs because step \d+ uses INGRESS_IP/);
    const steps = readReport(json).runbooks[0]!.steps;
    expect(steps.filter((s) => s.status === 'passed').map((s) => s.index)).toEqual([0, 7, 8, 9, 10, 11, 12]);
    expect(result.stderr).not.toMatch(/DEP0118|Could not resolve host/);
  }, 60_000);

  it('a drifted curl body fails on its first attempt, not after the retry budget', async () => {
    const dir = tempDir();
    const file = istioCopy(dir, 'drift', (text) => replaceOnce(text, '"data":[2]}]}', '"data":[7]}]}'));
    const json = path.join(dir, 'report.json');
    const started = Date.now();
    const result = await runCli(['run', file, '--sandbox', '--reporter', `json=${json}`], { env: { NO_COLOR: '1' } });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const curl = readReport(json).runbooks[0]!.steps.find((s) => s.index === 4);
    expect(curl).toMatchObject({ status: 'failed', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('--only 3 --from 5 is a usage error that names both, and nothing runs', async () => {
    const result = await runCli(['run', 'runbooks/istio.md', '--sandbox', '--only', '3', '--from', '5'], { env: { NO_COLOR: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the selection leaves no step to run \(--only 3 picks step 3; --from 5 starts at step 5\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
