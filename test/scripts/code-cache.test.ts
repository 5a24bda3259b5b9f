/**
 * bin/code-cache.js and the CommonJS copy of the bundle (scripts/build.mjs): chunks load through vm.Script with
 * V8's code cache, entries are keyed by content and written atomically, a rejected or unwritable cache costs only
 * speed, and the CLI prints the same through the cached copy as through the ES module build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheFolder, codeCacheLoader } from '../../bin/code-cache.js';
import { ensureBuilt, repo, runCli } from '../commands/run-cli.js';
import { tempDir } from '../runner/fixtures.js';

/** Writes `dist/<name>.cjs` as the build does: a header with the content's hash, then the code. */
function chunk(dist: string, name: string, code: string): void {
  writeFileSync(path.join(dist, `${name}.cjs`), `// runbook-cjs ${createHash('sha256').update(code).digest('hex')}\n${code}`);
}

/**
 * Loads `name` in a fresh Node process and returns the loader's stats: within one process V8 finds a source it
 * compiled before in its own memory and never looks at the entry, so only a new process shows what the disk holds.
 */
function statsInChild(dist: string, folder: string, name: string): Record<string, string> {
  const loader = pathToFileURL(path.join(repo, 'bin', 'code-cache.js')).href;
  const script = `const { codeCacheLoader } = await import(${JSON.stringify(loader)}); const l = codeCacheLoader(${JSON.stringify(dist)}, { folder: ${JSON.stringify(folder)} }); l.load(${JSON.stringify(name)}); console.log(JSON.stringify(l.stats));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as Record<string, string>;
}

describe('codeCacheLoader on hand-written chunks', () => {
  const dir = tempDir('runbook-code-cache-');
  const dist = path.join(dir, 'dist');
  const folder = path.join(dir, 'cache');
  const loader = (cache = folder) => codeCacheLoader(dist, { folder: cache, flushOnExit: false });

  beforeAll(() => {
    mkdirSync(dist);
    chunk(dist, 'main', 'var s=require("./shared.js"),p=require("node:path");module.exports={twice:x=>s.double(x),base:p.basename(__rb_import_meta_url),esm:()=>__rb_import("./late.js").then(m=>m.value)};');
    chunk(dist, 'shared', 'module.exports={double:x=>2*x,strict:function(){return this===void 0}()};');
    // A chunk left as an ES module only, as ink's (top-level await).
    writeFileSync(path.join(dist, 'late.js'), 'export const value = await Promise.resolve(42);\n');
  });

  it('links chunks, gives import.meta.url of the .js file, imports ES-module-only chunks for real, and runs strict', async () => {
    const main = loader().load('main') as { twice(x: number): number; base: string; esm(): Promise<number> };
    expect(main.twice(21)).toBe(42);
    expect(main.base).toBe('main.js');
    await expect(main.esm()).resolves.toBe(42);
    expect(loader().load('shared').strict).toBe(true);
  });

  it('compiles without an entry, writes one per chunk named by its hash on exit, and the next process uses them', () => {
    const cache = path.join(dir, 'fresh');
    expect(statsInChild(dist, cache, 'main')).toEqual({ main: 'missing', shared: 'missing' });
    const entries = readdirSync(cache).sort();
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => /^(main|shared)-[0-9a-f]{32}\.v8$/.test(e))).toBe(true);
    expect(statsInChild(dist, cache, 'main')).toEqual({ main: 'used', shared: 'used' });
  });

  it('never uses an entry made for other content: a changed chunk has a new hash', () => {
    const cache = path.join(dir, 'changed');
    chunk(dist, 'solo', 'module.exports={n:1};');
    expect(statsInChild(dist, cache, 'solo')).toEqual({ solo: 'missing' });
    chunk(dist, 'solo', 'module.exports={n:2};');
    expect(statsInChild(dist, cache, 'solo')).toEqual({ solo: 'missing' });
    expect(loader(cache).load('solo').n).toBe(2);
    expect(readdirSync(cache)).toHaveLength(2);
  });

  it('compiles a chunk whose entry V8 rejects, and rewrites the entry for the next process', () => {
    const cache = path.join(dir, 'rejected');
    chunk(dist, 'odd', 'module.exports={odd:x=>x%2===1};');
    expect(statsInChild(dist, cache, 'odd')).toEqual({ odd: 'missing' });
    const [entry] = readdirSync(cache);
    writeFileSync(path.join(cache, entry!), Buffer.from('not a code cache, not even close'));
    expect(statsInChild(dist, cache, 'odd')).toEqual({ odd: 'rejected' });
    expect(statsInChild(dist, cache, 'odd')).toEqual({ odd: 'used' });
    expect(readdirSync(cache)).toEqual([entry]);
  });

  it('loads and flushes without complaint when the cache folder cannot be made', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    const blocked = loader(path.join(file, 'cache'));
    expect((blocked.load('main') as { twice(x: number): number }).twice(2)).toBe(4);
    expect(() => blocked.flush()).not.toThrow();
  });

  it('keeps entries per Node version, under $RUNBOOK_CACHE_DIR, else $XDG_CACHE_HOME/runbook', () => {
    const node = `v8-${process.version}-${process.arch}`;
    expect(cacheFolder({ RUNBOOK_CACHE_DIR: '/x' })).toBe(path.join('/x', node));
    expect(cacheFolder({ XDG_CACHE_HOME: '/y' })).toBe(path.join('/y', 'runbook', node));
  });
});

/** Like statsInChild, through a loader with a pack: the stats, and what `expr` (over the chunk's exports `m`) gives. */
function packInChild(dist: string, folder: string, name: string, expr: string): { stats: Record<string, string>; value: unknown } {
  const loader = pathToFileURL(path.join(repo, 'bin', 'code-cache.js')).href;
  const script = `const { codeCacheLoader } = await import(${JSON.stringify(loader)}); const l = codeCacheLoader(${JSON.stringify(dist)}, { folder: ${JSON.stringify(folder)}, pack: 'run' }); const m = l.load(${JSON.stringify(name)}); const value = ${expr}; console.log(JSON.stringify({ stats: l.stats, value }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { stats: Record<string, string>; value: unknown };
}

describe('a pack: the small chunks a command loaded, as one script', () => {
  const dir = tempDir('runbook-code-cache-pack-');
  const dist = path.join(dir, 'dist');
  const folder = path.join(dir, 'cache');
  const packFiles = () => readdirSync(folder).filter((f) => f.startsWith('pack-run-')).sort();

  beforeAll(() => {
    mkdirSync(dist);
    writeFileSync(path.join(dist, '.build.json'), '{"started":1}\n');
    chunk(dist, 'top', 'var a=require("./a.js"),b=require("./b.js");module.exports={sum:()=>a.v+b.v,late:()=>["c","d","e"].map(n=>require("./"+n+".js").v).join(""),url:__rb_import_meta_url,strict:function(){return this===void 0}()};');
    for (const [name, v] of Object.entries({ a: 1, b: 2, c: 3, d: 4, e: 5 })) chunk(dist, name, `module.exports={v:${v}};`);
  });

  it('is written from what a process loaded; the next processes load those chunks from it, with the same results', () => {
    const first = packInChild(dist, folder, 'top', '[m.sum(), m.url.endsWith("/dist/top.js"), m.strict]');
    expect(first).toEqual({ stats: { top: 'missing', a: 'missing', b: 'missing' }, value: [3, true, true] });
    expect(packFiles()).toHaveLength(1);
    const second = packInChild(dist, folder, 'top', '[m.sum(), m.url.endsWith("/dist/top.js"), m.strict]');
    expect(second).toEqual({ stats: { top: 'packed', a: 'packed', b: 'packed' }, value: [3, true, true] });
    // The pack's own code cache entry, written by the first process that used it.
    expect(packFiles().map((f) => path.extname(f))).toEqual(['.js', '.v8']);
  });

  it('grows by the chunks a process had to load without it, and a new build gets a pack of its own', () => {
    const late = packInChild(dist, folder, 'top', 'm.late()');
    expect(late).toEqual({ stats: { top: 'packed', a: 'packed', b: 'packed', c: 'missing', d: 'missing', e: 'missing' }, value: '345' });
    expect(packInChild(dist, folder, 'top', 'm.late()').stats).toEqual({ top: 'packed', a: 'packed', b: 'packed', c: 'packed', d: 'packed', e: 'packed' });
    const before = packFiles();
    writeFileSync(path.join(dist, '.build.json'), '{"started":2}\n');
    // The chunks' own entries serve until the new build's pack is written.
    expect(packInChild(dist, folder, 'top', 'm.sum()')).toEqual({ stats: { top: 'used', a: 'used', b: 'used' }, value: 3 });
    expect(packFiles().filter((f) => !before.includes(f))).toHaveLength(1);
  });

  it("is named after the build's id when the manifest has one, so each build's pack is its own", () => {
    writeFileSync(path.join(dist, '.build.json'), '{"started":3,"id":"00aa11bb22cc33dd"}\n');
    const before = packFiles();
    packInChild(dist, folder, 'top', 'm.sum()');
    const first = packFiles().filter((f) => !before.includes(f));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^pack-run-[0-9a-f]{8}-00aa11bb22cc33dd\.js$/);
    expect(packInChild(dist, folder, 'top', 'm.sum()').stats).toEqual({ top: 'packed', a: 'packed', b: 'packed' });
    // Another build that started in the same millisecond: another id, another pack.
    writeFileSync(path.join(dist, '.build.json'), '{"started":3,"id":"44ee55ff66aa77bb"}\n');
    expect(packInChild(dist, folder, 'top', 'm.sum()').stats).toEqual({ top: 'used', a: 'used', b: 'used' });
  });

  it('that does not compile is passed over and written again', () => {
    for (const f of packFiles()) writeFileSync(path.join(folder, f), 'this is not JavaScript {');
    expect(packInChild(dist, folder, 'top', 'm.sum()')).toEqual({ stats: { top: 'used', a: 'used', b: 'used' }, value: 3 });
    expect(packInChild(dist, folder, 'top', 'm.sum()')).toEqual({ stats: { top: 'packed', a: 'packed', b: 'packed' }, value: 3 });
  });
});

/** packInChild with a phase: loads `name`, calls phase(`phase`), then evaluates `expr`. */
function phaseInChild(dist: string, folder: string, name: string, phase: string, expr: string): { stats: Record<string, string>; value: unknown } {
  const loader = pathToFileURL(path.join(repo, 'bin', 'code-cache.js')).href;
  const script = `const { codeCacheLoader } = await import(${JSON.stringify(loader)}); const l = codeCacheLoader(${JSON.stringify(dist)}, { folder: ${JSON.stringify(folder)}, pack: 'run' }); const m = l.load(${JSON.stringify(name)}); l.phase(${JSON.stringify(phase)}); const value = ${expr}; console.log(JSON.stringify({ stats: l.stats, value }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { stats: Record<string, string>; value: unknown };
}

describe("a phase's pack: what a command loads once its input is known, kept apart from the command's pack", () => {
  const dir = tempDir('runbook-code-cache-phase-');
  const dist = path.join(dir, 'dist');
  const folder = path.join(dir, 'cache');
  const sources = () => readdirSync(folder).filter((f) => f.startsWith('pack-run-') && f.endsWith('.js')).map((f) => readFileSync(path.join(folder, f), 'utf8'));

  beforeAll(() => {
    mkdirSync(dist);
    writeFileSync(path.join(dist, '.build.json'), '{"started":1,"id":"0123456789abcdef"}\n');
    chunk(dist, 'top', 'var a=require("./a.js"),b=require("./b.js");module.exports={sum:()=>a.v+b.v,late:n=>n.map(x=>require("./"+x+".js").v).join("")};');
    for (const [name, v] of Object.entries({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 })) chunk(dist, name, `module.exports={v:${v}};`);
  });

  it("gets the chunks loaded after phase() and serves them to the next process of that phase; the command's pack never holds them", () => {
    expect(phaseInChild(dist, folder, 'top', 'shell', 'm.late(["c","d","e"])').value).toBe('345');
    expect(sources()).toHaveLength(2);
    expect(phaseInChild(dist, folder, 'top', 'shell', 'm.late(["c","d","e"])').stats).toEqual({ top: 'packed', a: 'packed', b: 'packed', c: 'packed', d: 'packed', e: 'packed' });
    // Another phase (an istio page's step kinds, say) has a pack of its own; the command's stays as it was.
    expect(phaseInChild(dist, folder, 'top', 'apply,build,curl', 'm.late(["f","g","h"])').value).toBe('678');
    expect(phaseInChild(dist, folder, 'top', 'apply,build,curl', 'm.late(["f","g","h"])').stats).toEqual({ top: 'packed', a: 'packed', b: 'packed', f: 'packed', g: 'packed', h: 'packed' });
    const packs = sources();
    expect(packs).toHaveLength(3);
    expect(packs.filter((p) => p.includes('"top":'))).toEqual([expect.not.stringMatching(/"[cdefgh]":/)]);
  });

  it("writes the command pack's entry when the phase starts, so it holds what every process compiles before it", () => {
    const fresh = path.join(dir, 'fresh');
    const entries = `(await import('node:fs')).readdirSync(${JSON.stringify(fresh)}).filter((f) => f.startsWith('pack-run-') && f.endsWith('.v8')).length`;
    // The first process writes the pack; the second compiles it and, at phase(), writes its entry before going on.
    phaseInChild(dist, fresh, 'top', 'shell', 'm.sum()');
    expect(phaseInChild(dist, fresh, 'top', 'shell', entries)).toEqual({ stats: { top: 'packed', a: 'packed', b: 'packed' }, value: 1 });
    expect(phaseInChild(dist, fresh, 'top', 'shell', 'm.sum()')).toEqual({ stats: { top: 'packed', a: 'packed', b: 'packed' }, value: 3 });
  });

  it('is ignored when its name is not one a pack can have', () => {
    const before = sources().length;
    // c comes from its own file (its entry, written when the first process above loaded it), not from a pack.
    expect(phaseInChild(dist, folder, 'top', '../x', 'm.late(["c","d","e"])').stats).toEqual({ top: 'packed', a: 'packed', b: 'packed', c: 'used', d: 'used', e: 'used' });
    expect(sources()).toHaveLength(before);
  });
});

describe('the CLI through the cached CommonJS copy', () => {
  const dir = tempDir('runbook-code-cache-cli-');
  const env = { RUNBOOK_CACHE_DIR: path.join(dir, 'cache'), NO_COLOR: '1' };
  const book = path.join(dir, 'echo.md');

  beforeAll(() => {
    ensureBuilt();
    writeFileSync(book, '```sh\n$ echo one\n```\n\n```output\none\n```\n');
  });

  it('prints what the ES module build prints, first with no entries and then with them', async () => {
    const list = ['list', 'runbooks/istio.md'];
    const [esm, cold] = await Promise.all([runCli(list, { env: { ...env, RUNBOOK_CODE_CACHE: 'off' } }), runCli(list, { env })]);
    expect(cold.stderr).toBe('');
    expect(cold).toEqual(esm);
    const warm = await runCli(list, { env });
    expect(warm).toEqual(esm);
    expect(readdirSync(path.join(env.RUNBOOK_CACHE_DIR, `v8-${process.version}-${process.arch}`)).some((e) => e.startsWith('program-'))).toBe(true);
  });

  it('answers --version without the bundle, with the version the bundle has', async () => {
    const bundle = (await import(pathToFileURL(path.join(repo, 'dist', 'program.js')).href)) as { program(): { version(): string } };
    const [long, short] = await Promise.all([runCli(['--version'], { env }), runCli(['-V'], { env })]);
    expect(long).toEqual({ code: 0, stdout: `${bundle.program().version()}\n`, stderr: '' });
    expect(short).toEqual(long);
  });

  it('runs a runbook and writes its reports', async () => {
    const json = path.join(dir, 'report.json');
    const run = await runCli(['run', book, '--reporter', 'plain', '--reporter', `json=${json}`], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.passed).toBe(1);
  });

  it('has a CommonJS copy of every chunk but cli.js and those ink keeps as ES modules', () => {
    const dist = path.join(repo, 'dist');
    const built = JSON.parse(readFileSync(path.join(dist, '.build.json'), 'utf8')) as { files: string[] };
    const js = built.files.filter((f) => f.endsWith('.js') && f !== 'cli.js').map((f) => f.slice(0, -3));
    const esmOnly = js.filter((name) => !built.files.includes(`${name}.cjs`));
    // Only ink's chunk (top-level await) and chunks that import it statically.
    expect(esmOnly.length).toBeLessThanOrEqual(2);
    expect(readFileSync(pathToFileURL(path.join(dist, 'program.cjs')), 'utf8')).toMatch(/^\/\/ runbook-cjs [0-9a-f]{64}\n/);
  });

  it('has CommonJS chunks in ASCII only, so a pack of them is a one-byte string: half the memory, no UTF-8 decoding', () => {
    const dist = path.join(repo, 'dist');
    const built = JSON.parse(readFileSync(path.join(dist, '.build.json'), 'utf8')) as { files: string[] };
    const cjs = built.files.filter((f) => f.endsWith('.cjs'));
    expect(cjs.length).toBeGreaterThan(10);
    // A non-ASCII character in a regex literal survives esbuild's ASCII output: write it as \uXXXX in the source.
    expect(cjs.filter((f) => readFileSync(path.join(dist, f)).some((byte) => byte > 0x7f))).toEqual([]);
  });
});
