// Loads the CommonJS copy of the bundle (dist/*.cjs, written by scripts/build.mjs) through vm.Script with V8's
// code cache. Why: Node 20 keeps no code cache for ES modules (module.enableCompileCache arrived in 22.1), so
// every start parsed and compiled the bundle's chunks again, through the ES module loader's asynchronous reads.
//
// Each .cjs file starts with `// runbook-cjs <sha256 of the rest>`, computed by the build: the cache entry is
// named after it (and kept per Node version and architecture), so a new build never meets an old entry. V8
// checks the entry too and says `cachedDataRejected` when it does not fit (another V8 flag set): the source is
// then compiled as usual and the entry rewritten. Entries are written when the process exits, so they hold the
// functions this command compiled, not only the top level; each goes to a temporary file renamed into place, and
// a folder that cannot be written costs nothing but the cache.
//
// It also keeps WebAssembly on V8's baseline compiler (keepWasmOnBaseline, below), since that takes V8 flags, which
// the code cache must not see.
//
// CommonJS (bin/package.json), like the launcher that requires it; worker threads import() it by URL.
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, see above */
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const HEADER = /^\/\/ runbook-cjs ([0-9a-f]{16,64})\n/;

/** What chunks require besides each other (see load()). */
const nodeRequire = require;

// WebAssembly in this process stays on V8's baseline compiler (Liftoff). What a run executes of it is undici's HTTP
// parser (curl and seldon steps) and Kafka's CRC-32C, and two requests were enough for V8 to tier llhttp's one big
// function up to TurboFan: a background compile of 190-420 ms CPU and 29 MB of compiler memory at once
// (--trace-wasm-compilation-times), the peak of an istio run's memory, for a parser that reads a few dozen responses.
//
// The switch is two V8 flags, set when the first module compiles and kept (V8 reads them as the module compiles and
// as its functions do). Not at start: a process whose flags changed loses the code cache Node embeds for its own
// modules (child_process and fs/promises took 9.2 ms instead of 3.5), which a run without WebAssembly should not pay.
// And V8's code cache entries carry a hash of every flag, so this loader reads and writes them under V8's
// defaults (withDefaultFlags): entries stay the same whether or not a process met WebAssembly before.
const BASELINE = '--no-wasm-tier-up --no-wasm-dynamic-tiering';
const DEFAULTS = '--wasm-tier-up --wasm-dynamic-tiering';

let setFlags;
let onBaseline = false;

/**
 * Replaces `wasm.Module` by a subclass that sets the flags before the first module compiles: its instances are
 * real modules (`instanceof`, `WebAssembly.Instance`, the static `exports`, `imports` and `customSections` hold).
 * The asynchronous `compile` and `instantiate` are left as they are; neither undici nor Kafka's codecs use them.
 * Does nothing when the process was started with flags of its own for WebAssembly's tiers, which the defaults would undo.
 */
function keepWasmOnBaseline(wasm = globalThis.WebAssembly, options = [...process.execArgv, process.env.NODE_OPTIONS ?? '']) {
  if (!wasm?.Module || options.some((option) => /liftoff|wasm-tier|wasm-dynamic-tiering/.test(option))) return false;
  class Module extends wasm.Module {
    constructor(bytes) {
      if (!onBaseline) {
        setFlags ??= require('node:v8').setFlagsFromString;
        setFlags(BASELINE);
        onBaseline = true;
      }
      super(bytes);
    }
  }
  wasm.Module = Module;
  return true;
}

/** Runs `fn` under V8's default flags (for reading or writing a code cache entry) and returns what it returns. */
function withDefaultFlags(fn) {
  if (!onBaseline) return fn();
  setFlags(DEFAULTS);
  try {
    return fn();
  } finally {
    setFlags(BASELINE);
  }
}

/** Entries not written for this long are deleted when a process writes new ones (each build names new chunks). */
const PRUNE_AFTER_MS = 14 * 24 * 3600_000;

/** Where entries live: $RUNBOOK_CACHE_DIR, else $XDG_CACHE_HOME/runbook, else ~/.cache/runbook; one folder per Node. */
function cacheFolder(env = process.env) {
  const base = env.RUNBOOK_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'runbook');
  return path.join(base, `v8-${process.version}-${process.arch}`);
}

/** Chunks up to this size go into a pack; larger ones (the Kubernetes client, undici) keep a script of their own. */
const PACK_MAX_CHUNK = 128 * 1024;

/** How the wrapper opens: its parameters are all a chunk sees of CommonJS (see load()). */
const PARAMS = '(exports, require, module, __rb_import_meta_url, __rb_import)';

/**
 * A loader for the .cjs chunks in `dist`. `load(name)` evaluates `dist/<name>.cjs` (once) and returns its exports;
 * `stats` says, per chunk, whether its entry was used, rejected or missing, or that the chunk came from the pack;
 * `flush()` writes the entries that were missing or rejected, and the pack (it runs on process exit unless
 * `flushOnExit` is false).
 *
 * The pack, when `pack` names one (the launcher passes the command: `run`, `list`, ...): the small chunks that
 * command loaded, as one script of one function per chunk, with one code cache entry. Each script costs ~0.3 ms and
 * ~0.1 MB however small it is (a one-echo `run` loads 44 chunks: 13 ms of CPU and 5 MB), and one script of many
 * functions costs what one small script does. A process writes the pack at exit from the chunks it loaded (those
 * the pack had, and those it lacked when there were at least three), so it grows to what the command uses; the
 * next process compiles it and writes its entry. A pack belongs to one build: it is named after the id that every
 * build writes into dist/.build.json, so a new build never meets an old pack. `phase(name)` opens a further pack for
 * a later part of the command's work whose chunks depend on its input (a run's steps), see there.
 */
function codeCacheLoader(dist, { folder = cacheFolder(), flushOnExit = true, pack } = {}) {
  const distUrl = pathToFileURL(path.join(dist, path.sep)).href;
  const modules = new Map();
  const stale = [];
  const stats = {};
  /**
   * The packs this process opened: the command's, then one per phase (phase()); chunks it had to load from their
   * own files (small ones, with their sources, in load order) go to the last one opened.
   */
  const packs = [];
  const open = (name) => {
    const opened = openPack(dist, folder, name);
    if (opened) packs.push({ ...opened, unpacked: [] });
  };
  if (pack && /^[a-z][a-z-]{0,31}$/.test(pack)) open(pack);

  function compile(name) {
    const file = path.join(dist, `${name}.cjs`);
    const source = readFileSync(file, 'utf8');
    const hash = HEADER.exec(source)?.[1];
    const entry = hash && path.join(folder, `${name}-${hash.slice(0, 32)}.v8`);
    let cachedData;
    try {
      cachedData = entry ? readFileSync(entry) : undefined;
    } catch {
      // No entry yet: compiled below, written on exit.
    }
    // The wrapper's parameters are all the chunk sees of CommonJS: no __dirname or __filename, which bundled
    // libraries would take as a sign to behave as in CommonJS, unlike in the ES module build. Strict, as modules are.
    // Under V8's default flags, as every entry is written (keepWasmOnBaseline): a run that met WebAssembly has others.
    const script = withDefaultFlags(() => new vm.Script(`(function ${PARAMS} {"use strict";${source}\n})`, { filename: file, cachedData }));
    const outcome = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
    stats[name] = outcome;
    if (entry && outcome !== 'used') stale.push({ entry, data: () => script.createCachedData() });
    if (packs.length > 0 && source.length <= PACK_MAX_CHUNK) packs.at(-1).unpacked.push({ name, source });
    return script.runInThisContext();
  }

  function load(name) {
    const known = modules.get(name);
    if (known) return known.exports;
    const fromPack = packs.find((p) => p.chunks?.[name])?.chunks[name];
    if (fromPack) stats[name] = 'packed';
    const factory = fromPack ?? compile(name);
    const module = { exports: {} };
    modules.set(name, module);
    // What chunks require besides each other are Node's built-ins and what the bundle leaves external, which resolve
    // from bin/ as from dist/ (both beside the package's node_modules): this file's own require, not one made by
    // node:module's createRequire (~0.4 ms of a start).
    const require = (specifier) => (specifier.startsWith('./') ? load(specifier.slice(2).replace(/\.js$/, '')) : nodeRequire(specifier));
    // import.meta.url of the ES module build's file of the same name: lookups relative to it (the protos) still work.
    // Resolved against dist/'s URL, computed once: path.join and pathToFileURL for each of a run's ~45 chunks made
    // Node's path normalisation hot enough for TurboFan: a 9 ms compile on a background thread.
    const url = new URL(`${name}.js`, distUrl).href;
    // A chunk the build left as an ES module only (top-level await, scripts/build.mjs) is imported for real.
    const esmImport = (specifier) => import(new URL(specifier, url).href);
    factory(module.exports, require, module, url, esmImport);
    return module.exports;
  }

  /**
   * Starts a phase of the command's work with a pack of its own: what a `run` loads once its steps start depends on
   * the runbook (a shell cell loads the shell step, an istio page the Kubernetes client, curl, kustomize...), and
   * one pack for all of that grew to every chunk any run had needed (107 of them, 930 kB, its code cache written by
   * whichever run compiled most): a one-echo run paid 8 ms for it. Chunks loaded from now on come from, and go to,
   * the pack of `name` (the run's step kinds, say). Without a command pack, or with a name not made of lower-case
   * letters, digits and `,+-`, it does nothing.
   */
  function phase(name) {
    if (packs.length === 0 || typeof name !== 'string' || !/^[a-z0-9,+-]{1,200}$/.test(name)) return;
    // The pack of the phase that ends gets no more chunks. Its code cache entry, when it has none, is written now
    // rather than at exit: it then holds what every process compiles in that phase, not also what this one went on
    // to compile in those chunks (a sandboxed run's kubeconfig parsing, say). Written at exit by the first process
    // that used it, the command's entry was 457 kB instead of 281 kB, and a one-echo run 3% slower deserialising it.
    const ended = packs.at(-1);
    if (ended.script && ended.outcome !== 'used' && ended.unpacked.length < (ended.chunks ? 3 : 2)) {
      try {
        mkdirSync(folder, { recursive: true });
        writeAtomically(ended.entry, withDefaultFlags(() => ended.script.createCachedData()));
        ended.outcome = 'used';
      } catch {
        // Left to the exit's flush, which tries again.
      }
    }
    open(`${pack}-${fingerprint(name)}`);
  }

  function flush() {
    const grown = packs.filter((p) => p.unpacked.length >= (p.chunks ? 3 : 2));
    const unused = packs.filter((p) => !grown.includes(p) && p.script && p.outcome !== 'used');
    if (stale.length === 0 && grown.length === 0 && unused.length === 0) return;
    withDefaultFlags(() => write(grown, unused));
  }

  function write(grown, unused) {
    try {
      mkdirSync(folder, { recursive: true });
      for (const p of grown) {
        // The chunks the pack had, then the ones this process loaded without it.
        const body = p.unpacked.map(({ name, source }) => `${JSON.stringify(name)}:function ${PARAMS} {"use strict";${source}\n},\n`).join('');
        writeAtomically(p.file, p.source ? `${p.source.slice(0, -2)}${body}})` : `({\n${body}})`);
        rmSync(p.entry, { force: true });
      }
      for (const p of unused) writeAtomically(p.entry, p.script.createCachedData());
      for (const { entry, data } of stale.splice(0)) writeAtomically(entry, data());
      prune(folder);
    } catch {
      // A read-only or full disk: the next start compiles again, nothing worse.
    }
  }

  if (flushOnExit) process.once('exit', flush);
  return { load, flush, phase, stats };
}

/** The pack of `command` for the build in `dist`, compiled when there is one (its chunks by name); else where to write it. */
function openPack(dist, folder, command) {
  let build;
  try {
    build = JSON.parse(readFileSync(path.join(dist, '.build.json'), 'utf8'));
  } catch {
    return undefined; // A dist/ without a finished build's manifest: no pack can be told apart from another's.
  }
  // The build's id (scripts/build.mjs draws one per build; a build from before ids has its start time), and the
  // folder's, since checkouts share the cache folder.
  const buildId = typeof build?.id === 'string' && /^[0-9a-f]{8,64}$/.test(build.id) ? build.id : Number.isSafeInteger(build?.started) ? String(build.started) : undefined;
  if (buildId === undefined) return undefined;
  const id = `pack-${command}-${fingerprint(dist)}-${buildId}`;
  const file = path.join(folder, `${id}.js`);
  const entry = path.join(folder, `${id}.v8`);
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return { file, entry };
  }
  let cachedData;
  try {
    cachedData = readFileSync(entry);
  } catch {
    // Written on exit.
  }
  try {
    const script = withDefaultFlags(() => new vm.Script(source, { filename: file, cachedData }));
    const outcome = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
    return { file, entry, source, script, outcome, chunks: script.runInThisContext() };
  } catch {
    // A pack that does not compile (a disk that lied, a hand edit): the chunks load one by one, and this process
    // writes the pack again.
    return { file, entry };
  }
}

/**
 * 32 bits of FNV-1a over a short text (a folder's path), in hex. Not a hash of the whole manifest: a loop over
 * thousands of characters gets optimised by TurboFan on the spot, which pages in ~3 MB of the compiler's code and
 * costs a background compile; nor node:crypto, whose modules cost ~3 ms of a start that otherwise never loads it.
 */
function fingerprint(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Writes through a temporary file renamed into place: a reader never sees half a file. */
function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function prune(folder) {
  const now = Date.now();
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    try {
      if (now - statSync(file).mtimeMs > PRUNE_AFTER_MS) rmSync(file, { force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

module.exports = { cacheFolder, codeCacheLoader, keepWasmOnBaseline };
