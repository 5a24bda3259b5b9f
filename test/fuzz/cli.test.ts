/**
 * Fuzzing the built CLI: mutated runbooks through `runbook list` and `runbook check` as separate processes, each
 * agreeing with the in-process parse. Process starts are slow, so this is a sample (FUZZ_CLI_RUNS inputs).
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budget, report } from './budget.js';
import { cliProblems, runbookInTime, useCliSnapshot } from './cli.js';
import { anyInput, giantLine, type FuzzInput } from './mutate.js';
import { outcomeOf, runbooksDir } from './outcome.js';

// Inputs sit next to links to the istio runbook's folders, so check finds (or misses) the same files.
const dir = mkdtempSync(join(tmpdir(), 'runbook-fuzz-'));
useCliSnapshot();
beforeAll(() => {
  for (const name of ['config', 'apis']) symlinkSync(join(runbooksDir, name), join(dir, name));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one input through both commands; returns what went wrong, prefixed with the input. */
async function tryInput(input: FuzzInput, n: number): Promise<string[]> {
  const file = join(dir, `${n}-${input.name}`);
  writeFileSync(file, input.bytes);
  const [list, check] = [await runbookInTime(['list', file]), await runbookInTime(['check', file])];
  const problems = [...cliProblems('list', file, list).map((p) => `list: ${p}`), ...cliProblems('check', file, check).map((p) => `check: ${p}`)];
  // The CLI says what the parser says: a plan lists, an InputError is the message list prints.
  const parsed = outcomeOf({ ...input, name: input.name });
  if (parsed.kind === 'plan' && list.code !== 0) problems.push(`list: exit ${list.code}, but the input parses`);
  if (parsed.kind === 'error') {
    const message = parsed.error.message;
    // yaml reports nesting deeper than the call stack allows, and the CLI's stack is not the test worker's.
    const stackDepth = /Maximum call stack size exceeded/.test(message + list.stderr);
    if (list.code !== 2 || (!stackDepth && !list.stderr.includes(message))) problems.push(`list: expected exit 2 with "${message}"`);
  }
  rmSync(file);
  return problems.map((p) => `${p}\n  input: ${input.how}\n  list: exit ${list.code} ${(list.stderr || list.stdout).slice(0, 300)}\n  check: exit ${check.code} ${check.stdout.slice(-300)}`);
}

/** Up to `width` inputs at a time: two cores, and each run is mostly process start. */
async function fuzzCli(property: string, inputs: FuzzInput[], width = 2) {
  const problems: string[] = [];
  let maxMs = 0;
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < inputs.length; n = next++) problems.push(...(await tryInput(inputs[n]!, n)));
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: width }, worker));
  maxMs = performance.now() - start;
  report({ property, inputs: inputs.length, plans: 0, errors: 0, maxMs, seed: budget.seed });
  expect(problems.slice(0, 5)).toEqual([]);
}

describe('runbook list and check on mutated runbooks', () => {
  it(`exit 0, 1 or 2 with located messages and no stack trace (${budget.cli} inputs)`, { timeout: 600_000 }, async () => {
    await fuzzCli('CLI list+check', fc.sample(anyInput, { numRuns: budget.cli, seed: budget.seed }));
  });

  it.runIf(process.env.FUZZ_CLI_GIANT_RUNS)('the same with lines of 10 MB', { timeout: 600_000 }, async () => {
    await fuzzCli('CLI list+check, 10 MB lines', fc.sample(giantLine, { numRuns: Number(process.env.FUZZ_CLI_GIANT_RUNS), seed: budget.seed }), 1);
  });
});
