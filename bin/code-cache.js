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
// CommonJS (bin/package.json), like the launcher that requires it; worker threads import() it by URL.
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, see above */
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const HEADER = /^\/\/ runbook-cjs ([0-9a-f]{16,64})\n/;

/** Entries not written for this long are deleted when a process writes new ones (each build names new chunks). */
const PRUNE_AFTER_MS = 14 * 24 * 3600_000;

/** Where entries live: $RUNBOOK_CACHE_DIR, else $XDG_CACHE_HOME/runbook, else ~/.cache/runbook; one folder per Node. */
function cacheFolder(env = process.env) {
  const base = env.RUNBOOK_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'runbook');
  return path.join(base, `v8-${process.version}-${process.arch}`);
}

/**
 * A loader for the .cjs chunks in `dist`. `load(name)` evaluates `dist/<name>.cjs` (once) and returns its exports;
 * `stats` says, per chunk, whether its entry was used, rejected or missing; `flush()` writes the entries that were
 * missing or rejected (it runs on process exit unless `flushOnExit` is false).
 */
function codeCacheLoader(dist, { folder = cacheFolder(), flushOnExit = true } = {}) {
  // What the chunks require besides each other: Node's built-ins, and what the bundle leaves external.
  const nodeRequire = createRequire(path.join(dist, 'cli.js'));
  const modules = new Map();
  const stale = [];
  const stats = {};

  function load(name) {
    const known = modules.get(name);
    if (known) return known.exports;
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
    const wrapped = `(function (exports, require, module, __rb_import_meta_url, __rb_import) {"use strict";${source}\n})`;
    const script = new vm.Script(wrapped, { filename: file, cachedData });
    const outcome = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
    stats[name] = outcome;
    if (entry && outcome !== 'used') stale.push({ entry, script });
    const module = { exports: {} };
    modules.set(name, module);
    const require = (specifier) => (specifier.startsWith('./') ? load(specifier.slice(2).replace(/\.js$/, '')) : nodeRequire(specifier));
    // import.meta.url of the ES module build's file of the same name: lookups relative to it (the protos) still work.
    const url = pathToFileURL(path.join(dist, `${name}.js`)).href;
    // A chunk the build left as an ES module only (top-level await, scripts/build.mjs) is imported for real.
    const esmImport = (specifier) => import(new URL(specifier, url).href);
    script.runInThisContext()(module.exports, require, module, url, esmImport);
    return module.exports;
  }

  function flush() {
    if (stale.length === 0) return;
    try {
      mkdirSync(folder, { recursive: true });
      for (const { entry, script } of stale.splice(0)) {
        const tmp = `${entry}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, entry);
      }
      prune(folder);
    } catch {
      // A read-only or full disk: the next start compiles again, nothing worse.
    }
  }

  if (flushOnExit) process.once('exit', flush);
  return { load, flush, stats };
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

module.exports = { cacheFolder, codeCacheLoader };
