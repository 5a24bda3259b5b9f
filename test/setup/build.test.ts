/**
 * scripts/build.mjs as the tests' globalSetup uses it: a build is stale exactly when an input changed after it
 * started, and a rebuild never leaves dist/ without a working CLI, even while other builds and CLI runs go on.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildInto, isStale, newestInput, readManifest, stale } from '../../scripts/build.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('isStale', () => {
  it('is stale without a build, or when an input is as new as the build or newer', () => {
    expect(isStale(1_000, undefined)).toBe(true);
    expect(isStale(1_000, 2_000)).toBe(false);
    expect(isStale(2_000, 2_000)).toBe(true);
    expect(isStale(3_000, 2_000)).toBe(true);
  });
});

describe('stale, on a tree with known modification times', () => {
  const t0 = new Date('2025-01-01T00:00:00Z').getTime();
  let root = '';
  const touch = (file: string, ms: number) => utimesSync(path.join(root, file), ms / 1000, ms / 1000);
  const files = ['src/cli.ts', 'src/core/model.ts', 'steps/apply.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'README.md', 'test/a.test.ts', 'runbooks/istio.md'];
  const dirs = ['src/core', 'src', 'steps', 'scripts', 'test', 'runbooks', '.'];

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'runbook-stale-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Every file and folder modified at t0, and a finished build that started a second later. */
  function reset(): void {
    rmSync(root, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), '');
    }
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist/cli.js'), '');
    writeFileSync(path.join(root, 'dist/.build.json'), JSON.stringify({ started: t0 + 1_000, files: ['cli.js'], retired: {} }));
    for (const file of [...files, ...dirs]) touch(file, t0);
  }

  it('is fresh when every input is older than the build, whatever else changed', () => {
    reset();
    expect(newestInput(root)).toBe(t0);
    touch('README.md', t0 + 5_000);
    touch('test/a.test.ts', t0 + 5_000);
    touch('runbooks/istio.md', t0 + 5_000);
    expect(stale(root)).toBe(false);
  });

  it.each(['src/cli.ts', 'src/core/model.ts', 'steps/apply.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'])(
    'is stale when %s changed after the build started',
    (file) => {
      reset();
      touch(file, t0 + 2_000);
      expect(newestInput(root)).toBe(t0 + 2_000);
      expect(stale(root)).toBe(true);
    },
  );

  it('is stale when a source was deleted (only its folder changes)', () => {
    reset();
    rmSync(path.join(root, 'src/core/model.ts'));
    expect(stale(root)).toBe(true);
  });

  it('is stale without a finished build: no manifest, or no cli.js', () => {
    reset();
    rmSync(path.join(root, 'dist/.build.json'));
    expect(stale(root)).toBe(true);
    reset();
    rmSync(path.join(root, 'dist/cli.js'));
    expect(stale(root)).toBe(true);
  });
});

/**
 * A tiny project built by the real scripts/build.mjs: its CLI waits for a file to appear (when given one), then
 * loads a lazily imported chunk, as runbook's commands do. `tsconfig.json` and the launcher are the repository's.
 */
function tinyProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'runbook-build-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"tiny","version":"1.2.3","type":"module"}\n');
  cpSync(path.join(repo, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
  cpSync(path.join(repo, 'bin'), path.join(root, 'bin'), { recursive: true });
  writeFileSync(
    path.join(root, 'src/cli.ts'),
    [
      "import { existsSync } from 'node:fs';",
      'const flag = process.argv[2];',
      "if (flag !== undefined) console.log('waiting');",
      'while (flag !== undefined && !existsSync(flag)) await new Promise((r) => setTimeout(r, 20));',
      "const { value } = await import('./lazy.js');",
      'console.log(value);',
    ].join('\n'),
  );
  symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

function cli(root: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/runbook.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: stdout.trim(), stderr }),
    );
  });
}

describe('buildInto, on a tiny project', () => {
  let root = '';
  const lazy = (value: string) => writeFileSync(path.join(root, 'src/lazy.ts'), `export const value = '${value}';\n`);
  const entries = () => readdirSync(path.join(root, 'dist'));
  const quiet = { logLevel: 'silent' } as const;

  beforeAll(() => {
    root = tinyProject();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the chunks a running CLI may still load, then drops them after the grace period', async () => {
    // Looked at just before it is saved, the source gets a fine-grained mtime (Linux multigrain timestamps), in the
    // very millisecond the build starts: the build still counts as fresh.
    lazy('zero');
    statSync(path.join(root, 'src/lazy.ts'));
    lazy('one');
    await buildInto(root, quiet);
    expect(stale(root)).toBe(false);
    const first = readManifest(root)!;
    expect(first.files.sort()).toEqual(entries().filter((f) => !f.startsWith('.')).sort());

    // Started from the first build; it loads its lazy chunk only after the rebuild below.
    const flag = path.join(root, 'go');
    const running = spawn(process.execPath, [path.join(root, 'bin/runbook.js'), flag], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    running.stdout.on('data', (d: Buffer) => (printed += d.toString()));
    const exited = new Promise<number | null>((resolve) => running.on('close', resolve));
    await vi.waitFor(() => expect(printed).toBe('waiting\n'), { timeout: 20_000 });
    lazy('two');
    expect(stale(root)).toBe(true);
    await buildInto(root, quiet);
    writeFileSync(flag, '');
    expect(await exited).toBe(0);
    expect(printed).toBe('waiting\none\n');
    expect(await cli(root)).toMatchObject({ code: 0, stdout: 'two' });

    const second = readManifest(root)!;
    const replaced = first.files.filter((f) => !second.files.includes(f));
    expect(replaced.length).toBeGreaterThan(0);
    expect(Object.keys(second.retired).sort()).toEqual(replaced.sort());

    await buildInto(root, { ...quiet, retireAfterMs: 0 });
    expect(entries().sort()).toEqual(['.build.json', ...readManifest(root)!.files].sort());
    expect(await cli(root)).toMatchObject({ code: 0, stdout: 'two' });
  });

  it('leaves dist/ as it was when the build fails', async () => {
    const before = readFileSync(path.join(root, 'dist/.build.json'), 'utf8');
    lazy("' +");
    await expect(buildInto(root, quiet)).rejects.toThrow(/Build failed/);
    expect(readFileSync(path.join(root, 'dist/.build.json'), 'utf8')).toBe(before);
    expect(await cli(root)).toMatchObject({ code: 0, stdout: 'two' });
    expect(entries().filter((f) => f.startsWith('.'))).toEqual(['.build.json']);
  });

  it('does not replace a build that started later than itself', async () => {
    const manifestFile = path.join(root, 'dist/.build.json');
    const manifest = readManifest(root)!;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, started: Date.now() + 60_000 }));
    lazy('older');
    await buildInto(root, quiet);
    expect(await cli(root)).toMatchObject({ code: 0, stdout: 'two' });
    expect(entries().sort()).toEqual(['.build.json', ...manifest.files].sort());
  });

  it('lets concurrent builds finish in any order: the one that started last stays, whole', async () => {
    rmSync(path.join(root, 'dist/.build.json'));
    lazy('three');
    const builds = [buildInto(root, quiet), buildInto(root, quiet)];
    await new Promise((r) => setTimeout(r, 5));
    lazy('four');
    const lastStarted = Date.now();
    builds.push(buildInto(root, quiet), buildInto(root, quiet));
    const users = Array.from({ length: 4 }, () => cli(root));
    await Promise.all(builds);
    for (const run of await Promise.all(users)) expect(run.code).toBe(0);
    const manifest = readManifest(root)!;
    expect(manifest.started).toBeGreaterThanOrEqual(lastStarted);
    for (const file of manifest.files) expect(existsSync(path.join(root, 'dist', file))).toBe(true);
    expect(entries().filter((f) => f.startsWith('.'))).toEqual(['.build.json']);
    expect(await cli(root)).toMatchObject({ code: 0, stdout: 'four' });
  });
});
