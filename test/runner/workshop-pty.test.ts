/**
 * Guided workshop mode on a real terminal (util-linux `script` gives it a pty): keys run steps one at a time,
 * `q` quits with cleanup of what the steps so far created, and Ctrl-C at a prompt is an interrupt (exit 130).
 */
import { spawn } from 'node:child_process';
import { beforeAll, expect } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo } from '../commands/run-cli.js';

beforeAll(ensureBuilt);

/** `runbook run runbooks/istio.md --sandbox --step` on a pty of `columns` columns; keys go in through `send`. */
function workshop(columns: number) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', NO_COLOR: '1' };
  for (const key of ['CI', 'GITHUB_ACTIONS', 'BUILD_NUMBER']) delete env[key];
  const child = spawn('script', ['-qec', `stty cols ${columns} rows 40; node bin/runbook.js run runbooks/istio.md --sandbox --step; echo "exit=$?"`, '/dev/null'], {
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
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { send: (keys: string) => child.stdin.write(keys), text, waitFor, closed };
}

needs('script', 'kustomize|kubectl').it('runs steps on Enter and quits with cleanup on q, saying the cleanup once', async () => {
  const { send, text, waitFor, closed } = workshop(100);
  // Three steps: capture, build, apply. Each: Enter runs it, Enter moves on.
  for (let step = 1; step <= 3; step++) {
    await waitFor(/Enter run/, step);
    send('\r');
    await waitFor(/PASSED/, step);
    await waitFor(/Enter next/, step);
    send(step < 3 ? '\r' : 'q');
  }
  expect(await closed).toBe(0);
  expect(text()).toMatch(/── 1\/13 · \[0\] capture · runbooks\/istio\.md:\d+ ─/);
  expect(text()).toMatch(/── 3\/13 · \[2\] apply /);
  expect(text()).toMatch(/recorded output:/);
  expect(text()).toMatch(/3 passed, 0 failed, 10 skipped/);
  expect(text().match(/cleanup: 3 deleted, 0 left/g)).toHaveLength(1);
  expect(text()).toMatch(/exit=0/);
}, 90_000);

needs('script', 'kustomize|kubectl').it('treats Ctrl-C at a prompt as an interrupt: cleanup, then exit 130; the prompt fits 40 columns', async () => {
  const { send, text, waitFor, closed } = workshop(40);
  for (let step = 1; step <= 3; step++) {
    await waitFor(/Enter run/, step);
    send('\r');
    await waitFor(/Enter next/, step);
    if (step < 3) send('\r');
  }
  send('\x03');
  await closed;
  expect(text()).toMatch(/interrupted \(cleaning up what this run/);
  expect(text()).toMatch(/cleanup: 3 deleted, 0 left/);
  expect(text()).toMatch(/exit=130/);
  // Every prompt was one row: none left a wrapped half behind when it was erased.
  expect(text()).not.toMatch(/^(ecorded|un|kip|uit|· q quit)/m);
}, 90_000);
