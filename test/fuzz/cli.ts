/**
 * The CLI half of the fuzz oracle: runs the built `runbook list` and `runbook check` on a file and checks what a
 * user would see — exit code 0, 1 or 2, no stack trace, and located one-line messages naming the file.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { ensureBuilt } from '../commands/run-cli.js';
import { limitNowMs } from './budget.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let bin = join(repo, 'bin/runbook.js');

/**
 * Runs the CLI from a copy of dist/: a fuzz run spawns hundreds of processes for longer than a rebuild keeps the
 * chunks of the build it replaced (scripts/build.mjs). The copy leaves out a build's private folders.
 */
export function useCliSnapshot(): void {
  let dir: string | undefined;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'runbook-cli-'));
    for (const part of ['dist', 'bin']) cpSync(join(repo, part), join(dir, part), { recursive: true, filter: (f) => !basename(f).startsWith('.') });
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    bin = join(dir, 'bin/runbook.js');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI; a run still going after `killAfterMs` is killed (and reported as a hang by the caller). */
export function runbook(args: string[], killAfterMs = 20_000): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - start });
    });
  });
}

/** Runs the CLI again when the first run was over the limit: a loaded machine may stall one run, not two. */
export async function runbookInTime(args: string[]): Promise<Spawned> {
  const first = await runbook(args);
  return first.ms <= limitNowMs() || first.signal !== null ? first : runbook(args);
}

/** Problems with one CLI run, as sentences; empty when the run is what a user should see. */
export function cliProblems(command: 'list' | 'check', file: string, run: Spawned): string[] {
  const problems: string[] = [];
  const all = run.stdout + run.stderr;
  if (run.signal) problems.push(`killed by ${run.signal} after ${run.ms.toFixed(0)} ms (a hang)`);
  else if (run.ms > limitNowMs()) problems.push(`took ${run.ms.toFixed(0)} ms twice (limit ${limitNowMs()} ms at this load)`);
  if (/\n\s+at /.test(all)) problems.push('printed a stack trace');
  if (/internal error/i.test(all)) problems.push('printed "internal error"');
  const allowed = command === 'list' ? [0, 2] : [0, 1, 2];
  if (!allowed.includes(run.code ?? -1)) problems.push(`exit code ${run.code}, expected one of ${allowed.join(', ')}`);
  if (command === 'list') {
    if (run.code === 0 && run.stderr !== '') problems.push('exit 0 with something on stderr');
    if (run.code === 2) {
      const lines = run.stderr.replace(/\n$/, '').split('\n');
      if (lines.length !== 1) problems.push(`stderr is ${lines.length} lines, not one message`);
      if (!lines[0]!.startsWith(`runbook: ${file}:`)) problems.push('stderr does not start with "runbook: FILE:"');
      if (!/^runbook: .*?:\d+:\d+: \S/.test(lines[0]!)) problems.push('stderr names no line and column');
    }
  } else {
    if (run.stderr !== '') problems.push('check wrote to stderr');
    const lines = run.stdout.replace(/\n$/, '').split('\n');
    const summary = lines.pop() ?? '';
    if (!/^checked 1 runbook, \d+ steps?(?: in \d+ cells?)?: \d+ errors?, \d+ warnings?$/.test(summary)) problems.push(`last line is not the summary: ${summary.slice(0, 100)}`);
    const bad = lines.find((l) => !l.startsWith(`${file}:`) || !/^:\d+:\d+: (error|warning): \S/.test(l.slice(file.length)));
    if (bad !== undefined) problems.push(`a diagnostic is not "FILE:LINE:COL: error|warning: message": ${bad.slice(0, 200)}`);
    const errors = lines.filter((l) => /^:\d+:\d+: error: /.test(l.slice(file.length))).length;
    if (run.code === 0 && errors > 0) problems.push('exit 0 with errors');
    if (run.code === 1 && errors === 0) problems.push('exit 1 without an error');
  }
  return problems;
}
