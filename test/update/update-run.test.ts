/**
 * `runbook run --update` end to end (the built CLI against the sandbox): a drifted prediction in the Istio runbook
 * is put back and nothing else moves (volatile ids and lines curl 7.88 no longer prints stay as recorded), the run
 * exits 0, and the next run passes; steps with no recorded output get one, in the runbook's own style.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo, runCli } from '../commands/run-cli.js';

beforeAll(() => ensureBuilt());

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-update-'));
  await cp(join(repo, 'runbooks'), dir, { recursive: true });
  return dir;
}

describe('run --update', () => {
  it('rewrites only the drifted prediction, exits 0, and the next run passes', async () => {
    const dir = await scratch();
    const file = join(dir, 'istio.md');
    const original = await readFile(file, 'utf8');
    const prediction = '"parameters":null,"data":[2]}]}';
    expect(original).toContain(prediction);
    await writeFile(file, original.replace(prediction, '"parameters":null,"data":[1]}]}'));
    const updated = await runCli(['run', file, '--sandbox', '--update', '--reporter', 'plain']);
    expect(updated.stdout + updated.stderr).toMatch(/updated 1 recorded output \(\[4\]\)/);
    // The drifted step is `updated`, not failed: the summary line says so and the runbook passes.
    expect(updated.stdout + updated.stderr).toMatch(/✓ \S*istio\.md: \d+ passed, 1 updated, 0 failed, 0 skipped in /);
    expect(updated.code, updated.stdout + updated.stderr).toBe(0);
    // Back to the original byte for byte: the response id, the `* upload completely sent off` line stay.
    expect(await readFile(file, 'utf8')).toBe(original);
    const again = await runCli(['run', file, '--sandbox', '--reporter', 'plain']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  }, 120_000);

  it('records outputs for Markdown steps that have none: an indented block in nbconvert style, inside a console fence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-update-'));
    const file = join(dir, 'new.md');
    const before = [
      '# New',
      '',
      '```python',
      '!echo first',
      '```',
      '',
      '    first',
      '',
      '```python',
      '!printf "second\\nthird\\n"',
      '```',
      '',
      'Then:',
      '',
      '```sh',
      '$ echo fourth',
      '```',
      '',
    ].join('\n');
    await writeFile(file, before);
    const run = await runCli(['run', file, '--sandbox', '--update', '--reporter', 'plain']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    expect(after).toBe(
      before
        .replace('!printf "second\\nthird\\n"\n```\n', '!printf "second\\nthird\\n"\n```\n\n    second\n    third\n')
        .replace('$ echo fourth\n', '$ echo fourth\nfourth\n'),
    );
    expect((await runCli(['run', file, '--sandbox', '--reporter', 'plain'])).code).toBe(0);
  }, 120_000);

  it('records outputs for notebook cells that have none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-update-'));
    const file = join(dir, 'new.ipynb');
    const cell = (source: string[], outputs: unknown[]) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs, source });
    const nb = {
      cells: [cell(['!echo first'], [{ name: 'stdout', output_type: 'stream', text: ['first\n'] }]), cell(['!echo second'], [])],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    await writeFile(file, JSON.stringify(nb, null, 1) + '\n');
    const run = await runCli(['run', file, '--sandbox', '--update', '--reporter', 'plain']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const written = JSON.parse(await readFile(file, 'utf8')) as typeof nb;
    expect(written.cells[0]).toEqual(nb.cells[0]);
    expect(written.cells[1]!.outputs).toEqual([{ name: 'stdout', output_type: 'stream', text: ['second\n'] }]);
    expect((await runCli(['run', file, '--sandbox', '--reporter', 'plain'])).code).toBe(0);
  }, 120_000);
});
