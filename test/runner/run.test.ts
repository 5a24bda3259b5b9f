/**
 * Issue 6's acceptance, end to end through the built CLI: reporters on a real run, several runbooks at once,
 * a model that never becomes ready, and cleanup.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo, runCli } from '../commands/run-cli.js';
import { failedSteps, istioCopy, readReport, tempDir } from './fixtures.js';

beforeAll(ensureBuilt);

needs('kustomize|kubectl').describe('runbook run', () => {
  it('passes runbooks/istio.md on the sandbox with the plain, json, junit and github reporters at once', async () => {
    const dir = tempDir();
    const json = path.join(dir, 'report.json');
    const junit = path.join(dir, 'report.xml');
    const summary = path.join(dir, 'summary.md');
    const result = await runCli(
      ['run', 'runbooks/istio.md', '--sandbox', '--reporter', 'plain', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`, '--reporter', 'github'],
      { env: { NO_COLOR: '1', GITHUB_STEP_SUMMARY: summary } },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/13 passed, 0 failed/);
    expect(result.stdout).not.toMatch(/::error/);

    const report = readReport(json);
    expect(report.summary).toMatchObject({ passed: 13, failed: 0, skipped: 0 });
    expect(report.runbooks[0]!.steps.map((s) => s.kind)).toEqual([
      'capture', 'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete', 'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete',
    ]);

    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      testsuites: { testsuite: { '@_tests': string; '@_failures': string; testcase: unknown[] } };
    };
    expect(parsed.testsuites.testsuite.testcase).toHaveLength(13);
    expect(parsed.testsuites.testsuite['@_failures']).toBe('0');
    expect(readFileSync(summary, 'utf8')).toMatch(/istio\.md/);
  }, 120_000);

  it('fails at once at the wait of a model the sandbox cannot serve, says why, and cleans up', async () => {
    const dir = tempDir();
    // The runbook's own `kubectl wait --timeout=300s` stays: the sandbox knows the model will never load.
    const file = istioCopy(dir, 'unknown-uri');
    const model = path.join(path.dirname(file), 'config/single-model/model.yaml');
    const text = readFileSync(model, 'utf8');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(model, text.replace('gs://seldon-models/mlserver/iris', 'gs://seldon-models/no-such-model'));
    const json = path.join(dir, 'report.json');
    const started = Date.now();
    const result = await runCli(['run', file, '--sandbox', '--until', '5', '--reporter', 'plain', '--reporter', `json=${json}`], {
      env: { NO_COLOR: '1' },
    });
    expect(result.code).toBe(1);
    const runbook = readReport(json).runbooks[0]!;
    // The build step also differs (its recorded output names the old URI); the wait is the one that fails to run.
    expect(failedSteps(runbook)).toContain(3);
    const wait = runbook.steps[3]!;
    // Far from the wait's 300 s: the whole run (a sandbox, five steps, cleanup) took seconds, and the wait one attempt.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(wait.attempts).toBe(1);
    expect(wait.diff).toMatch(/^- model\.mlops\.seldon\.io\/iris condition met$/m);
    // What the step printed instead of kubectl's timeout message, which it never reached.
    expect(result.stdout).toMatch(/^ +runbook: not waiting for model\.mlops\.seldon\.io\/iris \(namespace seldon-mesh\): it is ModelFailed/m);
    expect(result.stdout).not.toMatch(/timed out waiting/);
    const diagnostics = (wait.diagnostics ?? []).join('\n');
    expect(diagnostics).toMatch(/is ModelFailed: Failed to sync\/copy gs:\/\/seldon-models\/no-such-model /);
    expect(diagnostics).toMatch(/rather than after its 300s timeout/);
    expect(runbook.cleanup).toEqual({ disabled: false, deleted: 3, left: [] });
    expect(result.stdout).toMatch(/cleanup: 3 deleted, 0 left/);
  }, 120_000);

  it('runs 20 copies of the istio runbook with --concurrency 4, each on its own sandbox', async () => {
    const dir = tempDir();
    for (let i = 0; i < 20; i++) istioCopy(dir, `copy-${String(i).padStart(2, '0')}`);
    const json = path.join(dir, 'report.json');
    const result = await runCli(['run', dir, '--sandbox', '--concurrency', '4', '--reporter', `json=${json}`], { env: { NO_COLOR: '1' }, cwd: repo });
    expect(result.code, result.stdout.slice(-3000)).toBe(0);
    const report = readReport(json);
    expect(report.runbooks).toHaveLength(20);
    expect(report.summary).toMatchObject({ passed: 260, failed: 0 });
  }, 300_000);
});
