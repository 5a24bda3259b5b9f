/**
 * The cleanup guarantee: SIGINT at a step boundary or in the middle of a wait leaves none of the runbook's objects
 * in the cluster, exits 130, and still writes the reports asked for. Against an external sandbox, so the cluster
 * outlives the run and can be inspected with the real kubectl.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo } from '../commands/run-cli.js';
import { readReport, tempDir } from './fixtures.js';

let sandbox: ChildProcess;
let kubeconfig: string;
const dir = tempDir('runbook-interrupt-');

beforeAll(async () => {
  ensureBuilt();
  kubeconfig = path.join(dir, 'kubeconfig');
  sandbox = spawn(process.execPath, [`${repo}/bin/runbook.js`, 'sandbox', '--kubeconfig', kubeconfig, '--load-delay', '1500ms'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => {
    let out = '';
    sandbox.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('connect-to:')) resolve();
    });
  });
});

afterAll(() => {
  sandbox.kill('SIGTERM');
});

function leftovers(): string {
  return execFileSync(
    'kubectl',
    ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), 'get', 'models,virtualservices,gateways', '-n', 'seldon-mesh', '-o', 'name'],
    { encoding: 'utf8' },
  ).trim();
}

/** Runs the istio runbook and sends SIGINT when a line of the plain output matches `when`. */
function interruptWhen(when: RegExp, report: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`${repo}/bin/runbook.js`, 'run', 'runbooks/istio.md', '--kubeconfig', kubeconfig, '--reporter', 'plain', '--reporter', `json=${report}`],
      // RUNBOOK_VERBOSE: the plain reporter's step start and end lines, which the patterns wait for.
      { cwd: repo, env: { ...process.env, NO_COLOR: '1', RUNBOOK_VERBOSE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && when.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

needs('kubectl').describe('interrupting a run', () => {
  it.each([
    ['after the first apply', /✓ \S+:\d+ \[2\] apply/],
    ['in the middle of a wait', /▶ \S+:\d+ \[3\] wait/],
    ['after the first curl', /✓ \S+:\d+ \[4\] curl/],
    ['after the traffic-split apply', /✓ \S+:\d+ \[8\] apply/],
    ['in the middle of the second wait', /▶ \S+:\d+ \[9\] wait/],
  ])('%s leaves nothing behind and exits 130', async (_when, pattern) => {
    const report = path.join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
    const result = await interruptWhen(pattern, report);
    expect(result.code, result.stdout).toBe(130);
    expect(leftovers()).toBe('');
    expect(result.stdout).toMatch(/cleanup: \d+ deleted, 0 left/);
    expect(existsSync(report)).toBe(true);
    const runbook = readReport(report).runbooks[0]!;
    expect(runbook.status).toBe('failed');
    expect(runbook.cleanup?.left).toEqual([]);
  }, 60_000);
});
