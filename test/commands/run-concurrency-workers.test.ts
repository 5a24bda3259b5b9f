/**
 * `run --sandbox --concurrency N` with runbooks shared between the main thread and worker threads
 * (RUNBOOK_WORKERS=1, src/commands/run-workers.ts): the same reports as every runbook on the main thread (secrets
 * found in a worker still redacted), and an interrupt still stops every thread's steps and ends the run with 130
 * and its reports.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { workerCount } from '../../src/commands/run-workers.js';
import { runSignalled } from '../hardening/harness.js';
import { needs } from '../tools.js';
import { ensureBuilt, runCli } from './run-cli.js';
import { tempDir } from '../runner/fixtures.js';

const dir = tempDir('runbook-workers-');
const books = path.join(dir, 'books');
const SECRET = 's3cret-token-value-42';

beforeAll(() => {
  ensureBuilt();
  execFileSync('mkdir', ['-p', books, path.join(dir, 'slow')]);
  // A secret found by a capture in a worker, then printed by a step whose recording drifted.
  writeFileSync(path.join(books, 'a.md'), `# Secret\n\n\`\`\`python\nAPI_TOKEN=!echo ${SECRET}\n\`\`\`\n\n\`\`\`sh\n$ echo "token $API_TOKEN"\ntoken nothing\n\`\`\`\n`);
  for (const n of ['b', 'c', 'd']) {
    writeFileSync(
      path.join(books, `${n}.md`),
      `# Namespace ${n}\n\n\`\`\`sh\n$ kubectl create namespace team-${n}\nnamespace/team-${n} created\n\`\`\`\n\n\`\`\`sh\n$ kubectl get namespace team-${n} -o name\nnamespace/team-${n}\n\`\`\`\n`,
    );
  }
  for (const n of ['e', 'f', 'g']) writeFileSync(path.join(dir, 'slow', `${n}.md`), `# Slow ${n}\n\n\`\`\`sh\n$ sleep 31.${n.charCodeAt(0)}\n\`\`\`\n`);
});

/** The JSON report without what differs from run to run: times and the sandboxes' ports. */
function stable(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'), (key, value: unknown) => (/^(durationMs|workMs|endedAt|startedAt|server)$/.test(key) ? undefined : value));
}

describe('workerCount', () => {
  it('is at most the cores, the concurrency and the runbooks, and at least one', () => {
    expect(workerCount(4, 20, 2)).toBe(2);
    expect(workerCount(2, 20, 8)).toBe(2);
    expect(workerCount(8, 3, 8)).toBe(3);
    expect(workerCount(4, 0, 2)).toBe(1);
  });
});

needs('kubectl').describe('runbooks in worker threads', () => {
  it('report what the same run on the main thread reports, secrets redacted, runbooks in order', async () => {
    const run = (name: string, env: Record<string, string>) => {
      const json = path.join(dir, `${name}.json`);
      const junit = path.join(dir, `${name}.xml`);
      const args = ['run', books, '--sandbox', '--concurrency', '4', '--reporter', 'plain', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`];
      return runCli(args, { env: { NO_COLOR: '1', ...env } }).then((result) => ({ ...result, json, junit }));
    };
    const [threads, main] = await Promise.all([run('threads', { RUNBOOK_WORKERS: '1' }), run('main', {})]);
    expect(threads.code, threads.stderr).toBe(1);
    expect(main.code, main.stderr).toBe(1);
    const report = stable(threads.json) as { runbooks: { file: string; status: string }[]; summary: unknown };
    expect(report.runbooks.map((r) => [path.basename(r.file), r.status])).toEqual([
      ['a.md', 'failed'],
      ['b.md', 'passed'],
      ['c.md', 'passed'],
      ['d.md', 'passed'],
    ]);
    expect(report).toEqual(stable(main.json));
    for (const text of [threads.stdout, readFileSync(threads.json, 'utf8'), readFileSync(threads.junit, 'utf8')]) {
      expect(text).not.toContain(SECRET);
      expect(text).toContain('token [REDACTED]');
    }
    const lines = (stdout: string) => stdout.split('\n').filter((l) => /[✓✗]/.test(l)).map((l) => l.replace(/ (in|after) [\d.]+m?s.*$/, '')).sort();
    expect(lines(threads.stdout)).toEqual(lines(main.stdout));
  }, 60_000);

  it('stop on SIGINT: every thread’s step is killed, the run exits 130 with its report', async () => {
    const json = path.join(dir, 'interrupted.json');
    const run = await runSignalled(['run', path.join(dir, 'slow'), '--sandbox', '--concurrency', '3', '--reporter', 'plain', '--reporter', `json=${json}`], {
      // Two threads (main and a worker) for three runbooks: SIGINT once both have a sleep running.
      when: /(sleep 31\.\d+[\s\S]*){2}/,
      env: { RUNBOOK_WORKERS: '1' },
    });
    expect(run.sent).toBe(true);
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 130, signal: null });
    expect(run.ms).toBeLessThan(25_000);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { interrupted: boolean; runbooks: { status: string }[] };
    expect(report.interrupted).toBe(true);
    expect(report.runbooks.every((r) => r.status === 'failed')).toBe(true);
    // No sleep outlived the run: each worker killed its step's process group.
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toMatch(/^sleep 31\.\d+/m);
  }, 60_000);
});
