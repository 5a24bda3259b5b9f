/**
 * The README's run examples, run as written: resuming at a heading, a real cluster through a kubeconfig and a
 * context (an external `runbook sandbox` plays the cluster, under the README's names), and the CI job's folder
 * run with shards and reports. Only what cannot exist here is swapped: `~` is a temporary home, `docs/` a copy of
 * runbooks/, `${{ matrix.shard }}` each shard in turn.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'shell-quote';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRunbook } from '../src/parse/index.js';
import { startExternalSandbox, type ExternalSandbox } from './hardening/harness.js';
import { ensureBuilt, repo, runCli } from './commands/run-cli.js';
import { tempDir } from './runner/fixtures.js';
import { needs } from './tools.js';

const readme = readFileSync(`${repo}/README.md`, 'utf8');
const words = (line: string) => parse(line).filter((w): w is string => typeof w === 'string');
/** The README line that runs runbook and contains `marker`, as the words after `runbook`. */
function example(marker: string, fill: (line: string) => string = (l) => l): string[] {
  const line = readme.split('\n').find((l) => l.includes(marker) && /(?:npx )?runbook run /.test(l));
  if (!line) throw new Error(`the README has no runbook run example with ${marker}`);
  return words(fill(line).replace(/^.*?runbook run /, 'run '));
}

const dir = tempDir('runbook-docs-examples-');
let sandbox: ExternalSandbox;

needs('kubectl 1.32').describe("the README's examples", () => {
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startExternalSandbox(dir);
  }, 60_000);
  afterAll(() => sandbox?.stop());

  it('resume at a heading: --from "Traffic Split" runs the capture it needs and passes', async () => {
    expect(readme).toContain('--from "Traffic Split"');
    const [, file, ...rest] = example('runbooks/istio.md --sandbox');
    const run = await runCli(['run', file!, ...rest, '--from', 'Traffic Split']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/runs because step \d+ uses INGRESS_IP/);
    expect(run.stdout).toMatch(/7 passed, 0 failed, 6 skipped/);
  });

  it('against a real cluster: --kubeconfig ~/.kube/config --context kind-seldon', async () => {
    const args = example('--context kind-seldon');
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.kube'), { recursive: true });
    const config = path.join(home, '.kube', 'config');
    cpSync(sandbox.kubeconfig, config);
    execFileSync('kubectl', ['config', 'rename-context', 'runbook-sandbox', 'kind-seldon', '--kubeconfig', config], { stdio: 'ignore' });
    const run = await runCli(args.map((w) => w.replace(/^~(?=\/)/, home)), { env: { HOME: home, KUBECONFIG: undefined } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`against context kind-seldon at ${sandbox.api}`);
    expect(run.stdout).toMatch(/13 passed, 0 failed, 0 skipped/);
  });

  it("in CI: the workflow's folder run, both shards, with JUnit reports", async () => {
    const ci = path.join(dir, 'ci');
    cpSync(path.join(repo, 'runbooks'), path.join(ci, 'docs'), { recursive: true });
    const cases: number[] = [];
    for (const shard of ['1', '2']) {
      const args = example('--shard ${{ matrix.shard }}/2', (l) => l.replaceAll('${{ matrix.shard }}', shard));
      const run = await runCli(args, { cwd: ci, env: { GITHUB_ACTIONS: undefined } });
      expect(run.code, run.stderr).toBe(0);
      const report = path.join(ci, `report-${shard}.xml`);
      expect(existsSync(report)).toBe(true);
      cases.push((readFileSync(report, 'utf8').match(/<testcase /g) ?? []).length);
    }
    // Every runbook of the folder ran in exactly one shard: one testcase per step of each.
    const steps = readdirSync(path.join(ci, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => parseRunbook(f, readFileSync(path.join(ci, 'docs', f), 'utf8')).steps.length);
    expect(steps.length).toBeGreaterThan(1);
    expect(cases.reduce((a, b) => a + b, 0)).toBe(steps.reduce((a, b) => a + b, 0));
  }, 60_000);
});
