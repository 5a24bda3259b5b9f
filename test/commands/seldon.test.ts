/**
 * The seldon step end to end through the built CLI: the pipelines runbook in a `--sandbox` run, `runbook seldon`
 * and the `seldon` shim on the PATH of shell steps, cleanup unloading what a failed run loaded, and `check` refusing
 * a missing `-f` file.
 */
import { mkdtemp, readFile, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ensureBuilt, repo, runCli } from './run-cli.js';

describe('seldon through the CLI', () => {
  beforeAll(ensureBuilt);

  it('runs the pipelines runbook in the sandbox', async () => {
    const result = await runCli(['run', 'runbooks/pipelines.md', '--sandbox', '--reporter', 'plain']);
    expect(result.stderr + result.stdout).toMatch(/56 passed, 0 failed/);
    expect(result.code).toBe(0);
  }, 120_000);

  it('check: a missing -f file is an error at its file:line:column (check exits 1 for errors, 2 for unreadable files)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'seldon-check-'));
    await writeFile(path.join(dir, 'r.md'), '# r\n\n```bash\nseldon model load -f models/nothere.yaml\n```\n```output\n{}\n```\n');
    const result = await runCli(['check', path.join(dir, 'r.md')]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/r\.md:4:\d+: error: seldon model load -f file models\/nothere\.yaml does not exist/);
  });
});

describe('seldon against a running sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ loadDelayMs: 10 });
    dir = await mkdtemp(path.join(tmpdir(), 'seldon-cli-'));
    await copyFile(path.join(repo, 'runbooks/config/pipelines/models/iris.yaml'), path.join(dir, 'iris.yaml'));
  });
  afterAll(() => sandbox.stop());

  const seldonCli = (...args: string[]) => runCli(['seldon', ...args], { cwd: dir, env: { KUBECONFIG: sandbox.kubeconfigPath } });

  it('runbook seldon finds the scheduler through the kubeconfig; an unreachable one is one line naming it', async () => {
    const list = await seldonCli('server', 'list');
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout.split('\n').slice(0, 2)).toEqual(['server\t\treplicas\tmodels', '------\t\t--------\t------']);
    const down = await runCli(['seldon', 'model', 'list', '--scheduler-host', '127.0.0.1:1'], { cwd: dir, env: { KUBECONFIG: sandbox.kubeconfigPath } });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe('Error: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect: connection refused" (127.0.0.1:1 from the --scheduler-host flag)\n');
    // cobra runs the group's RunE, whose error the CLI prints (its usage silenced).
    const unknown = await seldonCli('model', 'frobnicate');
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'Error: model subcommand required\n' });
  });

  it('runbook seldon prints the diagnostics of a wait the sandbox ends early, after its runbook line', async () => {
    await writeFile(path.join(dir, 'check.yaml'), 'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: check\nspec:\n  storageUri: gs://seldon-models/triton/check\n  requirements: [python]\n');
    expect(await seldonCli('model', 'load', '-f', 'check.yaml')).toMatchObject({ code: 0, stdout: '{}\n' });
    const started = Date.now();
    const waited = await seldonCli('model', 'status', 'check', '-w', 'ModelAvailable');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(waited).toMatchObject({ code: 1, stdout: '' });
    const lines = waited.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('runbook: not waiting for model/check: it is ModelFailed, a state the sandbox never leaves by itself (see diagnostics)');
    expect(lines[1]).toMatch(/^runbook: model\/check is ModelFailed: Failed to sync\/copy gs:\/\/seldon-models\/triton\/check .*the code of Seldon's check sample model is not published/);
    expect(lines[2]).toMatch(/^runbook: the sandbox never leaves ModelFailed by itself .* its 60s timeout/);
    // The next test lists the models: leave none behind.
    expect(await seldonCli('model', 'unload', 'check')).toMatchObject({ code: 0 });
  });

  it('a failed run unloads what its seldon steps loaded; shell steps find seldon on the PATH', async () => {
    const runbook = [
      '# r',
      '',
      '```bash',
      'seldon model load -f iris.yaml',
      '```',
      '```output',
      '{}',
      '```',
      '',
      '```bash',
      'seldon model status iris -w ModelAvailable && seldon model list | cut -f1 | sort',
      '```',
      '```output',
      '{}',
      '-----',
      'iris',
      'model',
      '```',
      '',
      '```bash',
      'seldon model unload nosuch',
      '```',
      '```output',
      '{}',
      '```',
      '',
    ].join('\n');
    await writeFile(path.join(dir, 'r.md'), runbook);
    const result = await runCli(['run', 'r.md', '--kubeconfig', sandbox.kubeconfigPath, '--reporter', 'plain'], { cwd: dir });
    expect(result.code).toBe(1);
    const out = result.stdout + result.stderr;
    // The shell step passed (its seldon was the shim), the last step failed.
    expect(out).toMatch(/2 passed, 1 failed/);
    const after = await seldonCli('model', 'list');
    expect(after.stdout).not.toMatch(/^iris\t/m);
    expect(await readFile(path.join(dir, 'r.md'), 'utf8')).toBe(runbook);
  }, 90_000);
});
