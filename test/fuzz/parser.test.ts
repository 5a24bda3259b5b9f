/**
 * In-process fuzzing of the parser, `list`'s rendering and `check`'s rules with mutated istio runbooks and
 * notebooks. `npm test` runs a few hundred inputs; `npm run fuzz` raises FUZZ_RUNS past 10,000.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budget, report, share } from './budget.js';
import { anyInput, giantLine, junkSettingsMarkdown, mutated, seedMarkdown, seedNotebook, wrongTypesNotebook, type FuzzInput } from './mutate.js';
import { outcomeOf } from './outcome.js';

/** Runs `inputs` through the oracle `runs` times and reports the counts; fast-check shrinks any failure. */
function fuzz(property: string, inputs: fc.Arbitrary<FuzzInput>, runs: number) {
  const count = { property, inputs: 0, plans: 0, errors: 0, maxMs: 0, seed: budget.seed };
  fc.assert(
    fc.property(inputs, (input) => {
      count.inputs++;
      const outcome = outcomeOf(input);
      count[outcome.kind === 'plan' ? 'plans' : 'errors']++;
      count.maxMs = Math.max(count.maxMs, outcome.ms);
    }),
    { numRuns: runs, seed: budget.seed, endOnFailure: false },
  );
  report(count);
  return count;
}

describe('the parser, list and check end every input in a plan or a located InputError', () => {
  it('the seeds themselves parse', () => {
    expect(outcomeOf({ name: 'input.md', bytes: seedMarkdown, how: 'seed' }).kind).toBe('plan');
    expect(outcomeOf({ name: 'input.ipynb', bytes: seedNotebook, how: 'seed' }).kind).toBe('plan');
  });

  it('byte and line mutations of istio.md', { timeout: 900_000 }, () => {
    const c = fuzz('mutated istio.md', mutated(seedMarkdown, 'input.md'), share(0.3));
    // Mutations that leave a runbook must be common, or the fuzzing never gets past the first error.
    if (c.inputs >= 100) expect(c.plans).toBeGreaterThan(c.inputs * 0.2);
  });

  it('byte and line mutations of the istio notebook', { timeout: 900_000 }, () => {
    fuzz('mutated istio.ipynb', mutated(seedNotebook, 'input.ipynb'), share(0.2));
  });

  it('wrong JSON types in nbformat fields', { timeout: 900_000 }, () => {
    const c = fuzz('wrong nbformat types', wrongTypesNotebook, share(0.2));
    if (c.inputs >= 100) expect(Math.min(c.plans, c.errors), JSON.stringify(c)).toBeGreaterThan(c.inputs * 0.02);
  });

  it('junk front matter and directives', { timeout: 900_000 }, () => {
    const c = fuzz('junk settings', junkSettingsMarkdown, share(0.2));
    if (c.inputs >= 100) expect(Math.min(c.plans, c.errors), JSON.stringify(c)).toBeGreaterThan(c.inputs * 0.02);
  });

  it('a mix of everything, arbitrary bytes included', { timeout: 900_000 }, () => {
    fuzz('mixed', anyInput, share(0.1));
  });

  it('lines of 10 MB', { timeout: 900_000 }, () => {
    fuzz('10 MB lines', giantLine, budget.giant);
  });
});
