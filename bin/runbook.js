#!/usr/bin/env node
// Thin launcher: the bundled CLI lives in dist/ (built by `npm run build`, run on `npm ci` through `prepare`).
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
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    const { readFileSync } = await import('node:fs');
    process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
    return;
  }
  const dist = new URL('../dist/', import.meta.url);
  if (process.env.RUNBOOK_CODE_CACHE !== 'off') {
    const [{ existsSync }, { fileURLToPath }] = await Promise.all([import('node:fs'), import('node:url')]);
    const folder = fileURLToPath(dist);
    if (existsSync(`${folder}program.cjs`)) {
      const loader = new URL('./code-cache.js', import.meta.url).href;
      const { codeCacheLoader } = await import(loader);
      // Worker threads (src/commands/run-workers.ts) load their chunks the same way.
      globalThis[Symbol.for('runbook.codeCache')] = { loader, dist: folder };
      return codeCacheLoader(folder).load('program').run(process.argv);
    }
  }
  await import('../dist/cli.js');
}

await start();
// Exit now that the command is done (its reports written, what it started stopped) rather than when the event
// loop drains: Node's teardown then closes the signal handles, restoring the default action, and a signal in that
// window would kill the process with no exit code. process.exit keeps the handlers until the very end.
// Whatever is still buffered for a pipe is written first.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(process.exitCode ?? 0);
