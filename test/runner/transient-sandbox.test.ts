/**
 * End to end against the sandbox: a runbook that curls a model it never applied fails on the first attempt (it
 * waited its whole retry budget before transient.ts looked at earlier writes).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, runCli } from '../commands/run-cli.js';

const runbook = [
  '```python',
  "INGRESS_IP=!kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}'",
  'INGRESS_IP=INGRESS_IP[0]',
  '```',
  '',
  '```python',
  '!curl -s -o /dev/null -w "%{http_code}" http://${INGRESS_IP}/v2/models/never-applied/ready',
  '```',
  '',
  '    200',
  '',
].join('\n');

describe('a 404 nothing can end', () => {
  it('fails at the first attempt when the runbook never applied the model', async () => {
    ensureBuilt();
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-transient-'));
    try {
      writeFileSync(path.join(dir, 'never-applied.md'), runbook);
      const report = path.join(dir, 'report.json');
      const run = await runCli(['run', path.join(dir, 'never-applied.md'), '--sandbox', '--reporter', `json=${report}`]);
      expect(run.code).toBe(1);
      const steps = (JSON.parse(readFileSync(report, 'utf8')) as { runbooks: { steps: { status: string; attempts: number; actual: string }[] }[] }).runbooks[0]!.steps;
      expect(steps.map((s) => s.status)).toEqual(['passed', 'failed']);
      expect(steps[1]).toMatchObject({ attempts: 1, actual: expect.stringContaining('404') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
