/**
 * Issue 5's acceptance, end to end: the istio runbook against the sandbox, copies with one recorded value
 * changed fail at exactly that step, copies with only volatile values changed pass, and --update blesses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffLines as lineDiff } from 'diff';
import { beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, runCli } from '../commands/run-cli.js';
import { failedSteps, istioCopy, readReport, replaceOnce, tempDir } from './fixtures.js';

beforeAll(ensureBuilt);

interface Drift {
  name: string;
  step: number;
  edit: (text: string) => string;
  /** What the diff must name. */
  mentions: RegExp;
}

const drifts: Drift[] = [
  { name: 'curl-data', step: 4, edit: (t) => replaceOnce(t, '"data":[2]}]}', '"data":[1]}]}'), mentions: /data\[0\].*1.*2|\[1\]/s },
  { name: 'grpc-model', step: 5, edit: (t) => replaceOnce(t, '"modelName": "iris_1"', '"modelName": "iris_7"'), mentions: /modelName/ },
  {
    name: 'apply-object',
    step: 2,
    edit: (t) => replaceOnce(t, 'virtualservice.networking.istio.io/iris-route configured', 'virtualservice.networking.istio.io/mnist-route configured'),
    mentions: /mnist-route/,
  },
  { name: 'wait-model', step: 3, edit: (t) => replaceOnce(t, 'model.mlops.seldon.io/iris condition met', 'model.mlops.seldon.io/mnist condition met'), mentions: /mnist/ },
  { name: 'build-gateway', step: 1, edit: (t) => replaceOnce(t, '      - seldon-gateway', '      - istio-system/seldon-gateway'), mentions: /spec\.gateways\[0\]/ },
];

needs('kustomize|kubectl').describe('runbook run against the sandbox', () => {
  it('passes the istio runbook, and fails drifted copies at exactly the drifted step with a diff naming it', async () => {
    const dir = tempDir();
    istioCopy(dir, 'a-pristine');
    for (const d of drifts) istioCopy(dir, `drift-${d.name}`, d.edit);
    const report = path.join(dir, 'report.json');
    const result = await runCli(['run', dir, '--sandbox', '--concurrency', '3', '--retry-budget', '1s', '--reporter', 'plain', '--reporter', `json=${report}`], {
      env: { NO_COLOR: '1' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const runbooks = readReport(report).runbooks;
    const byName = (name: string) => runbooks.find((r) => r.file.includes(`${path.sep}${name}${path.sep}`))!;
    expect(byName('a-pristine').status, JSON.stringify(byName('a-pristine').steps.filter((s) => s.status !== 'passed'))).toBe('passed');
    expect(byName('a-pristine').steps).toHaveLength(13);
    for (const d of drifts) {
      const r = byName(`drift-${d.name}`);
      expect(failedSteps(r), d.name).toEqual([d.step]);
      expect(r.steps[d.step]!.diff, d.name).toMatch(d.mentions);
    }
  }, 180_000);

  it('passes a copy whose recorded values differ only in what legitimately varies', async () => {
    const dir = tempDir();
    const file = istioCopy(dir, 'volatile', (t) =>
      t
        .replaceAll('83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5', '0f1e2d3c-4b5a-4697-8877-665544332211')
        .replaceAll('Sat, 16 Apr 2022 15:34:11 GMT', 'Tue, 03 Jan 2023 09:00:59 GMT')
        .replaceAll('172.21.255.1', '10.96.0.17')
        .replaceAll('x-envoy-upstream-service-time: 802', 'x-envoy-upstream-service-time: 3')
        .replaceAll('gateway.networking.istio.io/seldon-gateway unchanged', 'gateway.networking.istio.io/seldon-gateway created'),
    );
    const report = path.join(dir, 'report.json');
    const result = await runCli(['run', file, '--sandbox', '--reporter', `json=${report}`, '--reporter', 'plain'], { env: { NO_COLOR: '1' } });
    expect(result.code, result.stdout).toBe(0);
    expect(readReport(report).summary).toMatchObject({ passed: 13, failed: 0 });
  }, 120_000);

  it('--update rewrites only recorded output blocks of drifted steps, and leaves a passing file byte for byte', async () => {
    const dir = tempDir();
    const file = istioCopy(dir, 'bless', (t) =>
      replaceOnce(replaceOnce(t, '"data":[2]}]}', '"data":[0]}]}'), 'model.mlops.seldon.io/iris condition met', 'model.mlops.seldon.io/old condition met'),
    );
    const drifted = readFileSync(file, 'utf8');
    const first = await runCli(['run', file, '--sandbox', '--update', '--retry-budget', '500ms', '--reporter', 'plain'], { env: { NO_COLOR: '1' } });
    // Both failures were output differences that --update rewrote: exit 0.
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const updated = readFileSync(file, 'utf8');
    const changed = diffLines(drifted, updated);
    expect(changed.length).toBeGreaterThan(0);
    // Every changed line is inside a recorded output block: 4-space indented in the nbconvert style.
    for (const { before, after } of changed) {
      if (before !== undefined && before !== '') expect(before.startsWith('    '), `before: ${before}`).toBe(true);
      if (after !== undefined && after !== '') expect(after.startsWith('    '), `after: ${after}`).toBe(true);
    }
    expect(updated).toContain('model.mlops.seldon.io/iris condition met');
    expect(updated).not.toContain('"data":[0]');

    const second = await runCli(['run', file, '--sandbox', '--update', '--reporter', 'plain'], { env: { NO_COLOR: '1' } });
    expect(second.code, second.stdout).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(updated);
  }, 180_000);
});

/** Lines removed and added between two texts (a real line diff, so unchanged lines between changes are not counted). */
function diffLines(a: string, b: string): { before?: string; after?: string }[] {
  return lineDiff(a, b).flatMap((part): { before?: string; after?: string }[] => {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) return lines.map((l) => ({ before: l }));
    if (part.added) return lines.map((l) => ({ after: l }));
    return [];
  });
}
