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
await import('../dist/cli.js');
