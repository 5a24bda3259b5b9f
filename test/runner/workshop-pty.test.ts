/**
 * Guided workshop mode on a real terminal (util-linux `script` gives it a pty): keys run steps one at a time,
 * and `q` quits with cleanup of what the steps so far created.
 */
import { spawn } from 'node:child_process';
import { beforeAll, expect } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo } from '../commands/run-cli.js';

beforeAll(ensureBuilt);

needs('script', 'kustomize|kubectl').it('runs steps on Enter and quits with cleanup on q', async () => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', NO_COLOR: '1' };
  for (const key of ['CI', 'GITHUB_ACTIONS', 'BUILD_NUMBER']) delete env[key];
  const child = spawn('script', ['-qec', 'stty cols 100 rows 40; node bin/runbook.js run runbooks/istio.md --sandbox --step; echo "exit=$?"', '/dev/null'], {
    cwd: repo,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  const text = () => screen.replace(/\r/g, '');
  const waitFor = async (pattern: RegExp, count = 1) => {
    const deadline = Date.now() + 30_000;
    while ((text().match(new RegExp(pattern, 'g')) ?? []).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${text().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // Three steps: capture, build, apply. Each: Enter runs it, Enter moves on.
  for (let step = 1; step <= 3; step++) {
    await waitFor(/Enter run/, step);
    child.stdin.write('\r');
    await waitFor(/PASSED/, step);
    await waitFor(/Enter next/, step);
    child.stdin.write(step < 3 ? '\r' : 'q');
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  expect(text()).toMatch(/\[0\] capture/);
  expect(text()).toMatch(/recorded output:/);
  expect(text()).toMatch(/3 passed, 0 failed, 10 skipped/);
  expect(text()).toMatch(/cleanup: 3 deleted, 0 left/);
  expect(text()).toMatch(/exit=0/);
}, 90_000);
