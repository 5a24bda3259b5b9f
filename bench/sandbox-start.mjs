// The sandbox's start: `runbook sandbox` from spawn to its ready lines (Node's own start included), beside
// `node -e ""`, alternating. Issue 13's target is under 1 s to ready.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sideBySide, timeCommand } from './lib.mjs';
import { cli } from './peers.mjs';

/** Wall ms from spawn until `runbook sandbox` prints where everything is; then it is stopped. */
function readyMs(work) {
  const dir = mkdtempSync(path.join(work, 'sandbox-start-'));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, 'sandbox', '--kubeconfig', path.join(dir, 'kubeconfig')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code} before it was ready`)));
    child.stdout.on('data', (d) => {
      text += d;
      if (!/^connect-to: /m.test(text)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.removeAllListeners('exit');
      child.once('exit', () => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ ms, rssMb: NaN });
      });
      child.kill('SIGTERM');
    });
  });
}

export async function sandboxStart({ work, runs }) {
  return sideBySide(() => readyMs(work), () => timeCommand(process.execPath, ['-e', '']), runs);
}

// Alone: `node bench/sandbox-start.mjs` prints the medians and the ratio as JSON (BENCH_RUNS, default 5).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const work = mkdtempSync(path.join(tmpdir(), 'runbook-bench-start-'));
  try {
    console.log(JSON.stringify(await sandboxStart({ work, runs: Number(process.env.BENCH_RUNS ?? 5) })));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
