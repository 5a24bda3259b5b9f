/**
 * `--reporter json=FILE`: the whole RunReport (runbooks, their steps, the summary), as the fan-out hands it over
 * (redacted), written atomically when the run ends.
 */
import type { Reporter, RunReport, StepReport } from '../core/events.js';
import { writeFileAtomic } from '../core/write-atomic.js';

/**
 * The version of the file's shape, the first key of the file. Raised when a field is removed or changes meaning;
 * new optional fields keep it.
 */
export const JSON_SCHEMA_VERSION = 1;

/** A step that never ran has no exit status: leave the field out rather than write a 0 that reads as success. */
function stepJson(step: StepReport): Omit<StepReport, 'exitCode'> & { exitCode?: number } {
  if (step.status !== 'skipped') return step;
  const { exitCode: _never, ...rest } = step;
  return rest;
}

/** The document written for a run. */
export function jsonReport(report: RunReport) {
  return { schemaVersion: JSON_SCHEMA_VERSION, ...report, runbooks: report.runbooks.map((r) => ({ ...r, steps: r.steps.map(stepJson) })) };
}

export function createJsonReporter(file: string): Reporter {
  return {
    async onRunEnd(report: RunReport) {
      await writeFileAtomic(file, `${JSON.stringify(jsonReport(report), null, 2)}\n`);
    },
  };
}
