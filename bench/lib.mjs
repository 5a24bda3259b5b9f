// Measurement helpers for `npm run bench`: whole-process wall time and peak memory, alternating runs, ratios.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Runs a command; resolves with wall milliseconds, peak RSS in MB and CPU milliseconds (user + system, GNU time;
 * 10 ms steps), exit code and output. CPU time says more than wall time when the machine is busy.
 */
export function timeCommand(cmd, args, { cwd, env, input, allowFail = false } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-time-'));
  const out = path.join(dir, 'time');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', out, cmd, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssMb = NaN;
      let cpuMs = NaN;
      try {
        const [kb, user, system] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rssMb = kb / 1024;
        cpuMs = (user + system) * 1000;
      } catch {
        // time writes nothing when the command could not start
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0 && !allowFail) {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ ms, rssMb, cpuMs, code, stdout, stderr });
    });
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs `subject` and `baseline` alternately `n` times (order flipped every round) and returns the medians
 * and the per-round ratios subject/baseline.
 */
export async function sideBySide(subject, baseline, n = 5) {
  const a = [];
  const b = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      a.push(await subject());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      a.push(await subject());
    }
  }
  return ratioOf(a, b);
}

/** sideBySide's result from the per-round results of a subject and its baseline (round i of one against round i of the other). */
export function ratioOf(a, b) {
  const ratios = a.map((x, i) => x.ms / b[i].ms);
  return {
    subjectMs: median(a.map((x) => x.ms)),
    baselineMs: median(b.map((x) => x.ms)),
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    subjectMb: Math.max(...a.map((x) => x.rssMb)),
    baselineMb: Math.max(...b.map((x) => x.rssMb)),
    subjectCpuMs: median(a.map((x) => x.cpuMs)),
    baselineCpuMs: median(b.map((x) => x.cpuMs)),
  };
}

export function machineLine() {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** A Markdown table; numbers formatted by the caller. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
