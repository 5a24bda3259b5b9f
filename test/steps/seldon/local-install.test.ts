/**
 * End to end against the sandbox: a notebook written for a local (Docker Compose) install of Seldon Core 2 names the
 * seldon CLI's default addresses, 0.0.0.0:9000 for inference and 0.0.0.0:9004 for the scheduler, as Seldon's own
 * samples do (`%env INFER_ENDPOINT=0.0.0.0:9000`); with --sandbox those are the sandbox, for the seldon step and
 * for curl alike.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, repo, runCli } from '../../commands/run-cli.js';

const SIXTEEN = '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]';
const BODY = `{"inputs":[{"name":"INPUT0","data":${SIXTEEN},"datatype":"INT32","shape":[1,16]},{"name":"INPUT1","data":${SIXTEEN},"datatype":"INT32","shape":[1,16]}]}`;
const cell = (command: string, recorded: string) => ['```python', command, '```', '', ...recorded.split('\n').map((l) => `    ${l}`), ''].join('\n');

const runbook = [
  '# A notebook written for a local install',
  '',
  ['```python', '%env INFER_ENDPOINT=0.0.0.0:9000', '```', ''].join('\n'),
  cell('!seldon model load -f models/tfsimple1.yaml --scheduler-host 0.0.0.0:9004', '{}'),
  cell('!seldon model status tfsimple1 -w ModelAvailable --scheduler-host 0.0.0.0:9004', '{}'),
  cell(`!seldon model infer tfsimple1 --inference-host \${INFER_ENDPOINT} '${BODY}' | jq -M .model_name`, '"tfsimple1_1"'),
  cell(
    `!curl -s http://\${INFER_ENDPOINT}/v2/models/tfsimple1/infer -H "Content-Type: application/json" -H "seldon-model: tfsimple1" -d '${BODY}'`,
    '{"model_name":"tfsimple1_1","model_version":"1","outputs":[{"name":"OUTPUT0","datatype":"INT32","shape":[1,16],"data":[2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32]},{"name":"OUTPUT1","datatype":"INT32","shape":[1,16],"data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}]}',
  ),
  cell('!seldon model unload tfsimple1 --scheduler-host 0.0.0.0:9004', '{}'),
].join('\n');

describe('a notebook for a local install, run with --sandbox', () => {
  it('reaches the sandbox at the seldon CLI default addresses', async () => {
    ensureBuilt();
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-local-install-'));
    try {
      cpSync(path.join(repo, 'runbooks/config/pipelines/models'), path.join(dir, 'models'), { recursive: true });
      writeFileSync(path.join(dir, 'local.md'), runbook);
      const report = path.join(dir, 'report.json');
      const run = await runCli(['run', path.join(dir, 'local.md'), '--sandbox', '--reporter', `json=${report}`]);
      const steps = (JSON.parse(readFileSync(report, 'utf8')) as { runbooks: { steps: { kind: string; status: string; actual?: string }[] }[] }).runbooks[0]!.steps;
      expect(steps.map((s) => `${s.kind} ${s.status}`)).toEqual(['env passed', 'seldon passed', 'seldon passed', 'seldon passed', 'curl passed', 'seldon passed']);
      expect(run.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
