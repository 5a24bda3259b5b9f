#!/usr/bin/env node
// Thin launcher: the bundled CLI lives in dist/ (built by `npm run build`, run on `npm ci` through `prepare`).
// CommonJS (bin/package.json says so): an ES module entry starts Node's ES module loader, ~9 ms of every start,
// and nothing here needs it; the bundle's ES module build is still imported when there is no CommonJS copy.
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, see above */
'use strict';
// SIGINT and SIGTERM are caught first thing, before the bundle loads (which takes a while): one that arrives now
// is kept and handed to the command once it is up (src/commands/run-signals.ts), so it still ends in exit 130 and
// the reports, never in Node's default action (killed, no exit code). A second one before then exits at once.
const launcher = { pending: [], forward: undefined };
const onSignal = (signal) => {
  if (launcher.forward) launcher.forward(signal);
  else if (launcher.pending.push(signal) > 1) process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
globalThis[Symbol.for('runbook.signals')] = launcher;

/**
 * The bundle's CommonJS copy through V8's code cache (bin/code-cache.js), or the ES module build when there is no
 * copy (a build from before it) or RUNBOOK_CODE_CACHE=off asks for it (to compare the two, or to rule the cache out).
 */
async function start() {
  // `runbook --version` alone needs none of the bundle: the version is package.json's, as the bundle's is.
  const args = process.argv.slice(2);
  const { readFileSync, existsSync } = require('node:fs');
  const path = require('node:path');
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
    return;
  }
  const folder = path.join(__dirname, '..', 'dist') + path.sep;
  const loader = path.join(__dirname, 'code-cache.js');
  const { codeCacheLoader, keepWasmOnBaseline } = require(loader);
  // WebAssembly (undici's HTTP parser) stays on V8's baseline compiler, whichever build runs: see code-cache.js.
  keepWasmOnBaseline();
  if (process.env.RUNBOOK_CODE_CACHE !== 'off' && existsSync(`${folder}program.cjs`)) {
    // One pack per command (bin/code-cache.js): `run` and `list` load different chunks.
    const chunks = codeCacheLoader(folder, { pack: args[0] });
    // Worker threads (src/commands/run-workers.ts) load their chunks the same way, through import() of this URL;
    // `run` names the phase of its steps (src/commands/run.ts).
    globalThis[Symbol.for('runbook.codeCache')] = { loader: require('node:url').pathToFileURL(loader).href, dist: folder, phase: chunks.phase };
    return chunks.load('program').run(process.argv);
  }
  await import('../dist/cli.js');
}

// Exit once the command is done (its reports written, what it started stopped) rather than when the event loop
// drains: Node's teardown then closes the signal handles, restoring the default action, and a signal in that
// window would kill the process with no exit code. process.exit keeps the handlers until the very end.
// Whatever is still buffered for a pipe is written first. A failure to start at all is an unhandled rejection:
// Node prints it and exits 1, as it did when this file was an ES module awaiting start() at its top level.
void start().then(async () => {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(process.exitCode ?? 0);
});
