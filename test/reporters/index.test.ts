import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createReporters, parseReporterSpec, type ReporterEnv } from '../../src/reporters/index.js';
import { fanOut } from '../../src/runner/fanout.js';
import { playFailingRun } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-spec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function env(overrides: Partial<ReporterEnv> = {}): ReporterEnv & { written: () => string } {
  const stdout = new PassThrough() as unknown as NodeJS.WriteStream;
  let written = '';
  (stdout as unknown as PassThrough).on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { isTTY: false, isCI: false, stdout, stderr: stdout, color: false, columns: 80, cwd: dir, ...overrides, written: () => written };
}

const inputError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    return (error as InputError).message;
  }
  throw new Error('expected an InputError');
};

describe('--reporter specs', () => {
  it('parses names and files, resolving files against cwd', () => {
    expect(parseReporterSpec('plain', dir)).toEqual({ name: 'plain' });
    expect(parseReporterSpec('junit=out.xml', dir)).toEqual({ name: 'junit', file: path.join(dir, 'out.xml') });
    expect(parseReporterSpec('json=/tmp/r.json', dir)).toEqual({ name: 'json', file: '/tmp/r.json' });
  });

  it('rejects unknown names, a missing FILE, a FILE where none is taken, and a folder that does not exist', () => {
    expect(inputError(() => parseReporterSpec('tap', dir))).toMatch(/unknown reporter "tap"; expected one of ink, plain, json=FILE, junit=FILE, github/);
    expect(inputError(() => parseReporterSpec('junit', dir))).toMatch(/expected junit=FILE/);
    expect(inputError(() => parseReporterSpec('json=', dir))).toMatch(/expected json=FILE/);
    expect(inputError(() => parseReporterSpec('plain=x.txt', dir))).toMatch(/takes no file/);
    expect(inputError(() => parseReporterSpec('junit=nope/out.xml', dir))).toMatch(/folder "nope" does not exist/);
  });

  it('defaults to plain off a TTY or in CI, and adds the terminal reporter next to file reporters', async () => {
    const e = env();
    const [only] = await createReporters([], e);
    await playFailingRun(only!);
    expect(e.written()).toContain('✗ runbooks/istio.md:48 [3] wait failed');
    // Quiet when things pass: no line for a step that started or passed.
    expect(e.written()).not.toMatch(/^[▶✓] /m);

    // RUNBOOK_VERBOSE=1 (or env.verbose) makes plain print every step.
    const ci = env({ isTTY: true, isCI: true, env: { RUNBOOK_VERBOSE: '1' } });
    const reporters = await createReporters(['json=r.json', 'junit=j.xml'], ci);
    expect(reporters).toHaveLength(3);
    await playFailingRun(fanOut(reporters));
    expect(ci.written()).toContain('▶ runbooks/istio.md:10 [0] capture');
    expect(JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')).summary.failed).toBe(1);
    expect(await readFile(path.join(dir, 'j.xml'), 'utf8')).toContain('<testsuites');
  });

  it('refuses two terminal reporters, and adds none in a guided run', async () => {
    await expect(createReporters(['ink', 'plain'], env())).rejects.toThrow(/ink and plain both draw on the terminal/);
    expect(await createReporters(['json=r.json'], env(), { defaults: false })).toHaveLength(1);
  });

  it('picks ink on an interactive terminal', async () => {
    const e = env({ isTTY: true, isCI: false });
    Object.assign(e.stdout, { columns: 120 });
    const [ink] = await createReporters([], e);
    await playFailingRun(ink!);
    expect(e.written()).toContain('3 passed, 1 failed, 9 skipped in 31s; cleanup: 3 deleted, 0 left');
    // ink's layout, not plain's lines.
    expect(e.written()).toMatch(/^✗ \[3\] {2}wait {4}kubectl wait/m);
  });
});

describe('loading', () => {
  /** Packages a module loads through static (non-type) imports, following relative imports. */
  async function staticPackages(entry: string, seen = new Set<string>()): Promise<Set<string>> {
    const packages = new Set<string>();
    if (seen.has(entry)) return packages;
    seen.add(entry);
    const source = await readFile(entry, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const base = path.resolve(path.dirname(entry), spec).replace(/\.js$/, '');
      const file = (await readFile(`${base}.ts`).then(() => `${base}.ts`).catch(() => `${base}.tsx`));
      for (const p of await staticPackages(file, seen)) packages.add(p);
    }
    return packages;
  }

  it('loads ink, react and marked only with the reporters that need them', async () => {
    const src = path.resolve(__dirname, '../../src/reporters');
    for (const entry of ['index.ts', 'plain.ts', 'json.ts', 'junit.ts', 'github.ts']) {
      const packages = [...(await staticPackages(path.join(src, entry)))];
      expect(packages.filter((p) => /^(ink|react|marked)(\/|$)/.test(p)), entry).toEqual([]);
    }
    expect(await staticPackages(path.join(src, 'ink/index.tsx'))).toContain('ink');
    // Through ../ui/markdown.ts: the walk follows relative imports.
    expect(await staticPackages(path.join(src, 'workshop.ts'))).toContain('marked');
  });
});
