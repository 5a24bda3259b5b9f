/** What one seldon command printed, and the failure the CLI reports as `Error: …` with exit status 1. */
import type { TouchedObject } from '../../src/core/step.js';

export interface Printed {
  stdout: string;
  /** Models, pipelines and experiments the command loaded (outcome `created`) or unloaded (`deleted`), for cleanup. */
  objects?: TouchedObject[];
}

/** A failure the CLI prints as `Error: MESSAGE` (cobra's words) and exits 1; `stdout` is what it printed before. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly stdout = '',
  ) {
    super(message);
  }
}
