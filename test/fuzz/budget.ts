/**
 * How much fuzzing a run does. `npm test` runs the fast defaults; `npm run fuzz` (scripts/fuzz.mjs) raises them
 * through the environment and collects each property's counts from FUZZ_REPORT.
 */
import { appendFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not '${raw}'`);
  return n;
}

export const budget = {
  /** Generated inputs parsed in-process, shared by the properties of test/fuzz/parser.test.ts. */
  inProcess: envInt('FUZZ_RUNS', 500),
  /** Generated inputs run through the built CLI (each one through `list` and `check`). */
  cli: envInt('FUZZ_CLI_RUNS', 5),
  /** Inputs with a line of about 10 MB (each takes most of a second to build and parse). */
  giant: envInt('FUZZ_GIANT_RUNS', 1),
  /** fast-check's seed: fixed by default so a failure in CI reproduces; the fuzz script may pick another. */
  seed: envInt('FUZZ_SEED', 20_240_817),
  /** Wall-time limit of one input, in-process or through the CLI. */
  limitMs: envInt('FUZZ_LIMIT_MS', 2000),
};

/**
 * The wall-time limit of one input now: `limitMs`, stretched by how oversubscribed the machine is at this moment
 * (load average per core, when above 1). A hang or a blow-up is orders of magnitude over the limit; a machine
 * shared with other work (load 14 on 2 cores) makes a 1 s input take 3 s, which is no bug of ours.
 */
export function limitNowMs(): number {
  const perCore = (loadavg()[0] ?? 0) / availableParallelism();
  return Math.round(budget.limitMs * Math.max(1, perCore));
}

/** What one property tried, for the fuzz script's summary. */
export interface FuzzCount {
  property: string;
  inputs: number;
  plans: number;
  errors: number;
  maxMs: number;
  seed: number;
}

/** Appends a property's counts to FUZZ_REPORT (one JSON object per line) when the fuzz script asked for them. */
export function report(count: FuzzCount): void {
  const file = process.env.FUZZ_REPORT;
  if (file) appendFileSync(file, JSON.stringify(count) + '\n');
}

/** Share `weight` of the in-process budget, at least `min` inputs. */
export function share(weight: number, min = 1): number {
  return Math.max(min, Math.round(budget.inProcess * weight));
}
