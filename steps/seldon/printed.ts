/** What one seldon command printed, and the failure the CLI reports as `Error: …` with exit status 1. */
import type { TouchedObject } from '../../src/core/step.js';

/** Marks a touched object's `manifest` as loaded through the scheduler, so cleanup unloads it the same way. */
export const SELDON_LOADED = 'runbook.dev/loaded-by-seldon';

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

/**
 * The step stops before the CLI would have ended, for a reason of runbook's own (a wait that cannot succeed on the
 * sandbox): printed as `runbook: MESSAGE`, never as the CLI's `Error: …`, with the facts in `diagnostics`.
 */
export class RunbookStop extends CliError {
  constructor(
    message: string,
    readonly diagnostics: string[],
  ) {
    super(message);
  }
}
