/**
 * `%%writefile` outside the runbook's folder, end to end through the built CLI: refused with a message naming the
 * flag unless `--allow-writes-outside` is given; allowed, the file is written for the steps after it and removed
 * when the runbook ends.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run-cli.js';

beforeAll(() => ensureBuilt());

const runbook = [
  '# Writes a file next to its folder',
  '',
  '```python',
  '%%writefile ../outside.txt',
  'hello',
  '```',
  '',
  '    Writing ../outside.txt',
  '',
  '```python',
  '!cat ../outside.txt',
  '```',
  '',
  '    hello',
  '',
].join('\n');

async function scratch(): Promise<{ file: string; outside: string }> {
  const root = await mkdtemp(join(tmpdir(), 'runbook-writes-'));
  await mkdir(join(root, 'docs'));
  const file = join(root, 'docs', 'writes.md');
  await writeFile(file, runbook);
  return { file, outside: join(root, 'outside.txt') };
}

describe('--allow-writes-outside', () => {
  it('without it, a %%writefile outside the folder fails and writes nothing', async () => {
    const { file, outside } = await scratch();
    const run = await runCli(['run', file, '--reporter', 'plain', '--kubeconfig', '/dev/null'], { env: { RUNBOOK_VERBOSE: '1' } });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/outside the runbook's folder.*--allow-writes-outside/s);
    expect(existsSync(outside)).toBe(false);
  }, 60_000);

  it('with it, the file is written for the next step and removed when the runbook ends', async () => {
    const { file, outside } = await scratch();
    const run = await runCli(['run', file, '--allow-writes-outside', '--reporter', 'plain', '--kubeconfig', '/dev/null']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(existsSync(outside)).toBe(false);
  }, 60_000);
});
