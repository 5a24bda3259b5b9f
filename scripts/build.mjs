// Bundles the CLI with esbuild. Code splitting keeps `runbook --version` small: commands, the Kubernetes client,
// gRPC and ink are loaded with dynamic import() only by the commands that need them.
//
// `node scripts/build.mjs` builds; `--if-stale` builds only when a build input changed since the last build
// (what the tests' globalSetup and `npm run bench` ask for).
//
// Several builds and test runs share one dist/ (two terminals, helpers working in one tree), and a CLI process
// loads its chunks lazily, seconds after it started. So a build never empties dist/: esbuild writes to a private
// folder, then, under a lock, the chunks move in first and cli.js last (each rename is atomic), and chunks the
// new cli.js no longer uses are deleted only after a grace period. A failed build leaves dist/ as it was.
//
// Every chunk is also written as CommonJS (`<name>.cjs`), which bin/runbook.js loads through vm.Script with V8's
// code cache (bin/code-cache.js): Node 20 has no code cache for ES modules. program.ts is an entry of its own so
// that its .cjs exports run() (cli.js awaits it at the top level, which CommonJS cannot do).
import { build, transform } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a build reads: a change to any of them (or to a folder's entries, for a deleted file) calls for a rebuild. */
export const buildInputs = ['src', 'steps', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];

/** How long a chunk the current build no longer uses stays, for CLI processes started from an older build. */
const retireAfterMsDefault = 10 * 60_000;

/** The newest modification time (ms) among the build inputs under `root`, folders included. */
export function newestInput(root = defaultRoot) {
  let newest = 0;
  const visit = (file) => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return; // package-lock.json may be absent
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
  };
  for (const input of buildInputs) visit(path.join(root, input));
  return newest;
}

/**
 * Whether dist/ must be rebuilt: there is no finished build, or an input was modified at or after the moment
 * the last build started (a file saved during a build may not be in it).
 */
export function isStale(newestInputMs, builtFromMs) {
  return builtFromMs === undefined || newestInputMs >= builtFromMs;
}

/** The manifest of the build in dist/ (undefined when dist/ holds no finished build). */
export function readManifest(root = defaultRoot) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, 'dist/.build.json'), 'utf8'));
    return existsSync(path.join(root, 'dist/cli.js')) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the build in `root`/dist is older than its inputs. */
export function stale(root = defaultRoot) {
  return isStale(newestInput(root), readManifest(root)?.started);
}

/** The first value of Date.now() after the current one (a spin of under a millisecond). */
function nextMillisecond() {
  const now = Date.now();
  let next = now;
  while (next === now) next = Date.now();
  return next;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Runs `fn` holding `file` as a lock (created exclusively, holding our pid); a lock whose process died is taken over. */
async function withLock(file, fn) {
  for (const start = Date.now(); ; ) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    let age = 0;
    try {
      owner = Number(readFileSync(file, 'utf8'));
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    // An empty lock is one being written, or one whose writer died right after creating it.
    if (Number.isInteger(owner) && owner > 0 ? !alive(owner) : age > 5_000) rmSync(file, { force: true });
    else if (Date.now() - start > 120_000) throw new Error(`build: ${file} has been held by process ${owner} for two minutes`);
    else await sleep(50);
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Gives each ES module chunk a real `require`: some CommonJS dependencies call require() on Node built-ins. The
 * CommonJS copies go without it (their wrapper's `require` does the same), since createRequire() costs ~0.1 ms a
 * chunk, about 6 ms of a one-echo run that loads 46 chunks.
 */
const requireBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * Writes `<name>.cjs` beside each ES module chunk in `dir`: imports become require() calls (dynamic ones too, so
 * lazily loaded chunks stay lazy), `import.meta.url` a parameter of bin/code-cache.js's wrapper. The first line
 * names the content's hash, which keys the code cache.
 *
 * A chunk with a top-level await (ink's: it loads yoga's WebAssembly) cannot be CommonJS, nor can a chunk that
 * imports it statically: those stay ES modules only, and a dynamic import of one becomes `__rb_import()`, which
 * the wrapper maps to a real import() of the .js file. So the live terminal UI still loads through the ES module
 * loader; the plain, JSON and JUnit paths never do.
 */
async function writeCommonJs(dir) {
  const chunks = readdirSync(dir).filter((name) => name.endsWith('.js') && name !== 'cli.js').map((name) => name.slice(0, -3));
  const converted = new Map();
  const esmOnly = new Set();
  await Promise.all(
    chunks.map(async (name) => {
      try {
        const source = readFileSync(path.join(dir, `${name}.js`), 'utf8');
        const { code } = await transform(source.startsWith(requireBanner) ? source.slice(requireBanner.length) : source, {
          format: 'cjs',
          loader: 'js',
          platform: 'node',
          target: 'node20',
          minify: true,
          supported: { 'dynamic-import': false },
          define: { 'import.meta.url': '__rb_import_meta_url' },
          logLevel: 'silent',
        });
        converted.set(name, code);
      } catch (error) {
        if (!error.errors?.some((e) => /top-level await/i.test(e.text))) throw error;
        esmOnly.add(name);
      }
    }),
  );
  const dynamicImport = /Promise\.resolve\(\)\.then\(\(\)=>[\w$]+\(require\("\.\/([\w-]+)\.js"\)\)\)/g;
  const staticRequires = (code) => [...code.replace(dynamicImport, '').matchAll(/require\("\.\/([\w-]+)\.js"\)/g)].map((m) => m[1]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, code] of converted) {
      if (!staticRequires(code).some((dep) => esmOnly.has(dep))) continue;
      converted.delete(name);
      esmOnly.add(name);
      grew = true;
    }
  }
  for (const [name, code] of converted) {
    const final = code.replace(dynamicImport, (whole, dep) => (esmOnly.has(dep) ? `__rb_import("./${dep}.js")` : whole));
    const hash = createHash('sha256').update(final).digest('hex');
    writeFileSync(path.join(dir, `${name}.cjs`), `// runbook-cjs ${hash}\n${final}`);
  }
}

/**
 * Files bundled dependencies read at run time from a path relative to their own module, which in the bundle is a
 * chunk in dist/: @platformatic/kafka's CRC-32C and codecs are WebAssembly that @platformatic/wasm-utils reads from
 * `../dist/native.wasm`, which from dist/ is dist/native.wasm.
 */
const assets = [['node_modules/@platformatic/wasm-utils/dist/native.wasm', 'native.wasm']];

function copyAssets(root, dir) {
  for (const [from, to] of assets) if (existsSync(path.join(root, from))) writeFileSync(path.join(dir, to), readFileSync(path.join(root, from)));
}

/** Builds into `root`/dist, replacing the build there only if this one started later. */
export async function buildInto(root = defaultRoot, { retireAfterMs = retireAfterMsDefault, logLevel = 'warning' } = {}) {
  // Date.now() counts whole milliseconds, file times do not: a source saved earlier in this very millisecond has a
  // later mtime than its floor, so a build marked with it would look stale at once. Start in the next millisecond.
  const started = nextMillisecond();
  const dist = path.join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // Unique per build, not per process and millisecond: builds started together in one process got one folder and
  // moved each other's files away (ENOENT on rename).
  const tmp = path.join(dist, `.tmp-${process.pid}-${started}-${randomBytes(4).toString('hex')}`);
  try {
    await build({
      absWorkingDir: root,
      // program.ts's own entry is what the CommonJS copy starts from (a project without one has no such copy).
      // run-worker.ts is the entry of `run`'s worker threads (src/commands/run-workers.ts).
      entryPoints: {
        cli: 'src/cli.ts',
        ...(existsSync(path.join(root, 'src/program.ts')) && { program: 'src/program.ts' }),
        ...(existsSync(path.join(root, 'src/commands/run-worker.ts')) && { 'run-worker': 'src/commands/run-worker.ts' }),
      },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      jsx: 'automatic',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel,
      define: { RUNBOOK_VERSION: JSON.stringify(pkg.version) },
      // Some CommonJS dependencies call require() on Node built-ins; give the ESM bundle a real require.
      banner: { js: requireBanner },
      // ink optionally imports react-devtools-core only when DEV is set.
      external: ['react-devtools-core'],
    });
    await writeCommonJs(tmp);
    copyAssets(root, tmp);
    const files = readdirSync(tmp);
    await withLock(path.join(dist, '.lock'), () => {
      const previous = readManifest(root);
      // A build that started earlier but finished later holds older sources: keep the newer one in place.
      if (previous && previous.started > started) return;
      // The entries last: a launcher that finds them finds every chunk they load.
      const last = ['program.cjs', 'cli.js'].filter((f) => files.includes(f));
      for (const name of [...files.filter((f) => !last.includes(f)), ...last]) renameSync(path.join(tmp, name), path.join(dist, name));
      const now = Date.now();
      const retired = {};
      for (const name of readdirSync(dist)) {
        // The private folder of a build that was killed.
        const pid = /^\.tmp-(\d+)-/.exec(name)?.[1];
        if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) rmSync(path.join(dist, name), { recursive: true, force: true });
        if (name.startsWith('.') || files.includes(name)) continue;
        const since = previous?.retired?.[name] ?? now;
        if (now - since >= retireAfterMs) rmSync(path.join(dist, name), { recursive: true, force: true });
        else retired[name] = since;
      }
      const manifest = path.join(dist, `.build.json.${process.pid}`);
      // `id` names this build's code cache packs (bin/code-cache.js): drawn, not hashed, so reading it costs nothing.
      writeFileSync(manifest, `${JSON.stringify({ started, id: randomBytes(8).toString('hex'), files, retired }, null, 1)}\n`);
      renameSync(manifest, path.join(dist, '.build.json'));
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--if-stale') || stale()) {
    try {
      await buildInto();
    } catch (error) {
      // esbuild has printed the errors already.
      if (!error?.errors) console.error(error);
      process.exitCode = 1;
    }
  }
}
