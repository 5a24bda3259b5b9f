/**
 * Vitest globalSetup: rebuilds dist/ before any test runs when a build input is newer than the build, so the
 * end-to-end tests (which run bin/runbook.js) never test a stale bundle. Nothing happens when dist/ is fresh.
 * A failed build does not stop the run (unit tests still say something useful); the tests that run the CLI call
 * ensureBuilt() and fail with the build's error instead.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stale } from '../../scripts/build.mjs';

export const buildErrorVariable = 'RUNBOOK_BUILD_ERROR';

export default function setup(): void {
  if (!stale()) return;
  const started = performance.now();
  // A child process, as `npm run build` runs it: esbuild prints its errors, and the build takes dist/'s lock.
  const build = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url))], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (build.status === 0) {
    console.log(`runbook tests: rebuilt dist/ (${Math.round(performance.now() - started)} ms)`);
    return;
  }
  process.stderr.write(build.stderr);
  process.env[buildErrorVariable] = `node scripts/build.mjs failed (exit ${build.status ?? build.signal}):\n${build.stderr.trim().split('\n').slice(0, 20).join('\n')}`;
  console.error('runbook tests: the build failed; the tests that run the CLI will fail');
}
