/** The `env` step kind. Placeholder until its implementation lands: no parser emits this kind yet. */
import type { StepRunner } from '../src/core/step.js';

export const env: StepRunner<'env'> = {
  run() {
    return Promise.resolve({ stdout: '', stderr: 'runbook: the env step kind is not implemented yet\n', exitCode: 127 });
  },
};
