/** The `seldon` step kind. Placeholder until its implementation lands: no parser emits this kind yet. */
import type { StepRunner } from '../src/core/step.js';

export const seldon: StepRunner<'seldon'> = {
  run() {
    return Promise.resolve({ stdout: '', stderr: 'runbook: the seldon step kind is not implemented yet\n', exitCode: 127 });
  },
};
