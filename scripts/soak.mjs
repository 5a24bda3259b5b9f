#!/usr/bin/env node
/**
 * `npm run soak`: the heavy versions of the hardening tests, against the built CLI (bin/runbook.js).
 *
 * 1. Fault matrix: the istio runbook under --sandbox-fault-watch-drop 300ms, --sandbox-fault-api-error-rate 0.05
 *    and --sandbox-fault-route-delay 2s together, SOAK_FAULT_RUNS times (20).
 * 2. Interrupts: SIGINT or SIGTERM at a random moment of a run against an external sandbox, SOAK_INTERRUPTS
 *    times (20); counts the runbook's objects left in the cluster and reports not written.
 * 3. --update killed with SIGKILL at random moments, SOAK_UPDATE_KILLS times (40); the runbook must be as it
 *    was or fully updated.
 * 4. `npm run fuzz`, when package.json has it.
 *
 * Prints the counts and exits 1 if anything went wrong. Not part of `npm test`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'bin/runbook.js');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const settings = {
  faultRuns: env('SOAK_FAULT_RUNS', 20),
  concurrency: env('SOAK_CONCURRENCY', 2),
  interrupts: env('SOAK_INTERRUPTS', 20),
  updateKills: env('SOAK_UPDATE_KILLS', 40),
};
const work = mkdtempSync(path.join(tmpdir(), 'runbook-soak-'));
const log = (line) => process.stdout.write(`${line}\n`);

/** Runs the CLI; `signal` is sent after `afterMs`. Resolves with the exit code, signal, output and duration. */
function run(args, { afterMs, signal = 'SIGINT', cwd = repo } = {}) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = afterMs === undefined ? undefined : setTimeout(() => child.kill(signal), afterMs);
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      clearTimeout(timer);
      resolve({ code, killedBy, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function pool(count, concurrency, task) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

async function faultMatrix() {
  const faults = ['--sandbox-fault-watch-drop', '300ms', '--sandbox-fault-api-error-rate', '0.05', '--sandbox-fault-route-delay', '2s'];
  const results = await pool(settings.faultRuns, settings.concurrency, async (i) => {
    const report = path.join(work, `faults-${i}.json`);
    const r = await run(['run', 'runbooks/istio.md', '--sandbox', ...faults, '--reporter', 'plain', '--reporter', `json=${report}`]);
    const ok = r.code === 0;
    log(`  fault run ${i + 1}/${settings.faultRuns}: ${ok ? 'passed' : `FAILED (exit ${r.code})`} in ${(r.ms / 1000).toFixed(1)}s`);
    if (!ok) log(r.stdout.split('\n').filter((l) => /✗|error|diff/.test(l)).slice(0, 10).map((l) => `    ${l}`).join('\n'));
    return ok;
  });
  return results.filter(Boolean).length;
}

/** An external sandbox; resolves once it printed its addresses. */
function startSandbox(kubeconfig) {
  const child = spawn(process.execPath, [cli, 'sandbox', '--kubeconfig', kubeconfig, '--load-delay', '1500ms'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('connect-to:')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
}

const kinds = 'models,virtualservices,gateways';
function kubectl(kubeconfig, ...args) {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(work, 'kube-cache'), ...args], { encoding: 'utf8' }).trim();
}

/**
 * Twice the longest of three starts of a bare `node`: until Node has started and read bin/runbook.js's first lines, a
 * signal meets Node's default action, which no program can change.
 */
function nodeStartMs() {
  let longest = 0;
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    execFileSync(process.execPath, ['-e', '']);
    longest = Math.max(longest, Date.now() - started);
  }
  return 2 * longest;
}

async function interrupts() {
  const kubeconfig = path.join(work, 'kubeconfig');
  const sandbox = await startSandbox(kubeconfig);
  const counts = { tried: 0, SIGINT: 0, SIGTERM: 0, finishedFirst: 0, objectsLeft: 0, reportsMissing: 0, badExit: 0 };
  try {
    // A clean run first: how long the signals have to land in.
    const clean = await run(['run', 'runbooks/istio.md', '--kubeconfig', kubeconfig, '--reporter', 'plain']);
    if (clean.code !== 0) throw new Error(`a clean run against the sandbox failed:\n${clean.stdout}`);
    // Signals count from Node's own start: before it, no program can catch one (the default action kills).
    const nodeStart = nodeStartMs();
    log(`  node starts in ${nodeStart} ms; signals land between that and ${clean.ms} ms`);
    for (let i = 0; i < settings.interrupts; i++) {
      const signal = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const afterMs = nodeStart + Math.round(Math.random() * Math.max(0, clean.ms - nodeStart));
      const report = path.join(work, `interrupt-${i}.json`);
      const r = await run(['run', 'runbooks/istio.md', '--kubeconfig', kubeconfig, '--reporter', 'plain', '--reporter', `json=${report}`], { afterMs, signal });
      counts.tried++;
      counts[signal]++;
      if (r.code === 0) counts.finishedFirst++;
      else if (r.code !== 130) counts.badExit++;
      if (r.code !== 0 && r.code !== 130) log(`    exit ${r.code}${r.killedBy ? ` (killed by ${r.killedBy})` : ''}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      if (!existsSync(report)) counts.reportsMissing++;
      const left = kubectl(kubeconfig, 'get', kinds, '-n', 'seldon-mesh', '-o', 'name');
      const n = left ? left.split('\n').length : 0;
      counts.objectsLeft += n;
      log(`  ${signal} after ${afterMs} ms: exit ${r.code}, ${n} object(s) left${existsSync(report) ? '' : ', NO REPORT'}`);
      if (n > 0) kubectl(kubeconfig, 'delete', kinds, '-n', 'seldon-mesh', '--all', '--wait=true');
    }
  } finally {
    sandbox.kill('SIGTERM');
  }
  return counts;
}

async function updateKills() {
  const source = path.join(work, 'drifted.md');
  const parts = ['# Drifted\n'];
  for (let i = 0; i < 6; i++) parts.push(`\n\`\`\`sh\n$ echo new-${i}\n\`\`\`\n\n\`\`\`output\nold-${i}\n\`\`\`\n`);
  parts.push(`\n${'Prose that --update must keep byte for byte.\n'.repeat(100_000)}`);
  const before = parts.join('');
  writeFileSync(source, before);
  const full = path.join(work, 'full.md');
  copyFileSync(source, full);
  const reference = await run(['run', full, '--update', '--reporter', 'plain']);
  const after = readFileSync(full, 'utf8');
  const counts = { tried: 0, asItWas: 0, updated: 0, corrupted: 0 };
  for (let i = 0; i < settings.updateKills; i++) {
    const file = path.join(work, `update-${i}.md`);
    copyFileSync(source, file);
    // Mostly late in the run, where the rewrite happens.
    const afterMs = Math.round(reference.ms * (i % 4 === 0 ? Math.random() : 0.6 + Math.random() * 0.5));
    await run(['run', file, '--update', '--reporter', 'plain'], { afterMs, signal: 'SIGKILL' });
    const text = readFileSync(file, 'utf8');
    counts.tried++;
    if (text === before) counts.asItWas++;
    else if (text === after) counts.updated++;
    else counts.corrupted++;
    rmSync(file);
  }
  return counts;
}

async function fuzz() {
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
  if (!pkg.scripts?.fuzz) return undefined;
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'fuzz'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      const number = (re) => {
        const m = re.exec(out);
        return m ? Number(m[1].replace(/[,_]/g, '')) : undefined;
      };
      resolve({ code, inputs: number(/([\d,_]+) generated inputs tried/i) ?? number(/([\d,_]+)\s+inputs/i), crashes: number(/([\d,_]+)\s+crash/i) });
    });
  });
}

execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });

log(`fault matrix: ${settings.faultRuns} runs of runbooks/istio.md under three faults`);
const faultPassed = await faultMatrix();
log(`interrupts: ${settings.interrupts} runs signalled at random moments`);
const interrupted = await interrupts();
log(`--update killed with SIGKILL: ${settings.updateKills} runs`);
const updates = await updateKills();
log('fuzz:');
const fuzzed = await fuzz();

log('');
log('soak summary');
log(`  runs passed under faults:      ${faultPassed}/${settings.faultRuns}`);
log(`  interrupts tried:              ${interrupted.tried} (${interrupted.SIGINT} SIGINT, ${interrupted.SIGTERM} SIGTERM; ${interrupted.finishedFirst} finished before the signal)`);
log(`  objects left after interrupts: ${interrupted.objectsLeft}`);
log(`  reports missing / bad exits:   ${interrupted.reportsMissing} / ${interrupted.badExit}`);
log(`  --update kills:                ${updates.tried} (${updates.asItWas} as it was, ${updates.updated} updated, ${updates.corrupted} corrupted)`);
if (fuzzed) {
  log(`  fuzz inputs tried:             ${fuzzed.inputs ?? '(see output)'}`);
  log(`  fuzz crashes:                  ${fuzzed.crashes ?? '(see output)'} (npm run fuzz exited ${fuzzed.code})`);
} else {
  log('  fuzz:                          npm run fuzz is not defined yet');
}
rmSync(work, { recursive: true, force: true });

const failed =
  faultPassed < settings.faultRuns ||
  interrupted.objectsLeft > 0 ||
  interrupted.reportsMissing > 0 ||
  interrupted.badExit > 0 ||
  updates.corrupted > 0 ||
  (fuzzed !== undefined && (fuzzed.code !== 0 || (fuzzed.crashes ?? 0) > 0));
process.exit(failed ? 1 : 0);
