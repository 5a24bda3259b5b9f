// The full fuzz run: test/fuzz with the counts raised past 10,000 inputs, then a summary of what was tried.
//   npm run fuzz [-- --seed N|random] [--runs N] [--cli N] [--giants N]
// Every property runs from the printed seed, so `--seed N` replays a run exactly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20240817' },
    runs: { type: 'string', default: '12000' },
    cli: { type: 'string', default: '150' },
    giants: { type: 'string', default: '12' },
  },
});
const seed = values.seed === 'random' ? String(Math.floor(Math.random() * 2 ** 31)) : values.seed;
for (const [name, value] of Object.entries({ seed, runs: values.runs, cli: values.cli, giants: values.giants })) {
  if (!/^\d+$/.test(value)) {
    console.error(`fuzz: --${name} must be a whole number, not '${value}'`);
    process.exit(2);
  }
}

const root = new URL('..', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'runbook-fuzz-report-'));
const reportFile = join(dir, 'counts.jsonl');
const env = {
  ...process.env,
  FUZZ_SEED: seed,
  FUZZ_RUNS: values.runs,
  FUZZ_CLI_RUNS: values.cli,
  FUZZ_GIANT_RUNS: values.giants,
  FUZZ_CLI_GIANT_RUNS: String(Math.max(1, Math.round(Number(values.giants) / 4))),
  FUZZ_GIANTS: '1',
  FUZZ_SPEED_LIMIT_MS: '100',
  FUZZ_REPORT: reportFile,
};

console.log(`fuzz: seed ${seed} (replay with: npm run fuzz -- --seed ${seed})`);
console.log(`fuzz: ${values.runs} in-process inputs, ${values.cli} CLI inputs (list and check each), ${values.giants} inputs with 10 MB lines`);
const started = Date.now();
// vitest's globalSetup rebuilds dist/ when a source is newer than it.
const vitest = spawnSync('npx', ['vitest', 'run', 'test/fuzz', '--exclude', 'test/fuzz/speed.test.ts'], { cwd: root, env, stdio: 'inherit' });
// Timed alone: next to hundreds of CLI processes the parser gets half a core.
const speed = spawnSync('npx', ['vitest', 'run', 'test/fuzz/speed.test.ts'], { cwd: root, env, stdio: 'inherit' });

const counts = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
rmSync(dir, { recursive: true, force: true });

console.log('\nfuzz: property                              inputs    plans   errors   slowest');
let total = 0;
for (const c of counts) {
  if (c.inputs === 0) {
    console.log(`fuzz: ${c.property.padEnd(40)} ${c.maxMs.toFixed(1).padStart(8)} ms`);
    continue;
  }
  total += c.inputs;
  const split = c.plans + c.errors > 0 ? `${String(c.plans).padStart(8)} ${String(c.errors).padStart(8)}` : `${'—'.padStart(8)} ${'—'.padStart(8)}`;
  const slowest = c.property.startsWith('CLI') ? `${(c.maxMs / 1000).toFixed(0)} s total` : `${c.maxMs.toFixed(0)} ms`;
  console.log(`fuzz: ${c.property.padEnd(40)} ${String(c.inputs).padStart(6)} ${split}   ${slowest}`);
}
const failed = vitest.status !== 0;
console.log(`fuzz: ${total} generated inputs tried (plus the nasty corpus and the giants), seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (speed.status !== 0) {
  const load = (await import('node:os')).loadavg()[0].toFixed(1);
  console.log(`fuzz: WARNING: the 1 MB parse missed its 100 ms target (load average ${load}; see the timing above)`);
}
console.log(failed ? 'fuzz: FAILED: a crash, hang, slow input or unclear message above (fast-check prints the input and the seed)' : 'fuzz: 0 crashes, 0 hangs, every input ended in a plan or a located error within the limit');
process.exit(failed ? 1 : 0);
