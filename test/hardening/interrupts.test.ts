/**
 * Interrupts beyond test/runner/interrupt.test.ts (SIGINT at five points): SIGTERM, the JUnit report, and
 * `--no-cleanup`, which must leave the objects and say so. Against an external sandbox, inspected with kubectl.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt } from '../commands/run-cli.js';
import { readReport, tempDir } from '../runner/fixtures.js';
import { kubectlNames, runSignalled, startExternalSandbox, type ExternalSandbox } from './harness.js';

const dir = tempDir('runbook-hardening-interrupt-');
let sandbox: ExternalSandbox;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startExternalSandbox(dir, ['--load-delay', '1500ms']);
});
afterAll(() => sandbox?.stop());

interface Junit {
  testsuites: { testsuite: { testcase: { name: string; skipped?: unknown; failure?: unknown }[] } };
}

/** The JUnit file parses as XML and has one testcase per step of the istio runbook. */
function readJunit(file: string): Junit['testsuites']['testsuite'] {
  const xml = readFileSync(file, 'utf8');
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml) as Junit;
  expect(doc.testsuites.testsuite.testcase).toHaveLength(13);
  return doc.testsuites.testsuite;
}

const reports = (name: string) => ({ json: path.join(dir, `${name}.json`), junit: path.join(dir, `${name}.xml`) });

needs('kubectl').describe('SIGTERM', () => {
  it.each([
    ['before the first step', /^runbooks\/istio\.md: 13 steps against/m],
    ['after the first apply', /✓ \S+:\d+ \[2\] apply/],
    ['in the middle of a wait', /▶ \S+:\d+ \[3\] wait/],
    ['in the middle of the traffic-split wait', /▶ \S+:\d+ \[9\] wait/],
  ])('%s leaves nothing behind, exits 130 and writes the JSON and JUnit reports', async (_when, when) => {
    const files = reports(`term-${Math.random().toString(36).slice(2)}`);
    const run = await runSignalled(
      ['run', 'runbooks/istio.md', '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain', '--reporter', `json=${files.json}`, '--reporter', `junit=${files.junit}`],
      { when, signal: 'SIGTERM' },
    );
    expect(run.sent).toBe(true);
    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(kubectlNames(sandbox.kubeconfig, path.join(dir, 'cache'))).toBe('');
    const runbook = readReport(files.json).runbooks[0]!;
    expect(runbook.status).toBe('failed');
    expect(runbook.cleanup?.left ?? []).toEqual([]);
    expect(runbook.steps.at(-1)).toMatchObject({ status: 'skipped' });
    const suite = readJunit(files.junit);
    expect(suite.testcase.at(-1)!.skipped).toBeDefined();
  }, 60_000);
});

needs('kubectl').describe('SIGINT inside an apply step', () => {
  // Between the apply's first create and its last: objects created before the interrupt (and the one whose
  // create was in flight) must still be deleted.
  it.each([15, 40, 70, 110])('%d ms after the apply starts leaves nothing behind', async (delay) => {
    const run = await runSignalled(['run', 'runbooks/istio.md', '--kubeconfig', sandbox.kubeconfig, '--reporter', 'plain'], {
      when: /▶ \S+:\d+ \[2\] apply/,
      onMatch: (child) => setTimeout(() => child.kill('SIGINT'), delay),
    });
    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(kubectlNames(sandbox.kubeconfig, path.join(dir, 'cache'))).toBe('');
    expect(run.stdout).not.toMatch(/cleanup: \d+ deleted, [1-9]\d* left/);
  }, 30_000);
});

needs('kubectl').describe('--no-cleanup', () => {
  it('leaves what the interrupted run created, says so, and writes both reports', async () => {
    const own = await startExternalSandbox(dir, ['--load-delay', '1500ms'], 'kubeconfig-keep');
    try {
      const files = reports('keep');
      const run = await runSignalled(
        ['run', 'runbooks/istio.md', '--kubeconfig', own.kubeconfig, '--no-cleanup', '--reporter', 'plain', '--reporter', `json=${files.json}`, '--reporter', `junit=${files.junit}`],
        { when: /▶ \S+:\d+ \[3\] wait/, signal: 'SIGINT' },
      );
      expect(run.code, run.stdout + run.stderr).toBe(130);
      expect(run.stdout).toContain('cleanup: skipped (--no-cleanup)');
      expect(kubectlNames(own.kubeconfig, path.join(dir, 'cache-keep')).split('\n').sort()).toEqual([
        'gateway.networking.istio.io/seldon-gateway',
        'model.mlops.seldon.io/iris',
        'virtualservice.networking.istio.io/iris-route',
      ]);
      // The contract of issue 18: `left` lists everything left, with --no-cleanup too.
      const cleanup = readReport(files.json).runbooks[0]!.cleanup!;
      expect([cleanup.disabled, cleanup.deleted]).toEqual([true, 0]);
      expect(cleanup.left.map((l) => `${l.object} (${l.reason})`).sort()).toEqual([
        'gateway.networking.istio.io/seldon-gateway -n seldon-mesh (--no-cleanup)',
        'model.mlops.seldon.io/iris -n seldon-mesh (--no-cleanup)',
        'virtualservice.networking.istio.io/iris-route -n seldon-mesh (--no-cleanup)',
      ]);
      expect(existsSync(files.junit)).toBe(true);
      readJunit(files.junit);
    } finally {
      own.stop();
    }
  }, 60_000);
});
