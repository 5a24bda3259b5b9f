/** The `writefile` step kind. Placeholder until its implementation lands: no parser emits this kind yet. */
import type { StepRunner } from '../src/core/step.js';

export const writefile: StepRunner<'writefile'> = {
  run() {
    return Promise.resolve({ stdout: '', stderr: 'runbook: the writefile step kind is not implemented yet\n', exitCode: 127 });
  },
};
