/**
 * Property tests run with one seed in `npm test`, so that a run is reproducible and CI's verdict depends on the
 * code alone; a property failure prints its seed and path either way. To explore, set FC_SEED=random (a new seed
 * per run) or a number, and PROP_RUNS where a test reads it: `FC_SEED=random PROP_RUNS=20000 npx vitest run test/match`.
 */
import fc from 'fast-check';

const chosen = process.env.FC_SEED ?? '';
if (chosen !== 'random') {
  const seed = chosen === '' ? 20_261_202 : Number(chosen);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(chosen)}`);
  fc.configureGlobal({ seed });
}
