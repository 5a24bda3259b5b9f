/**
 * `--reporter json=FILE`: the whole RunReport (runbooks, their steps, the summary), as the fan-out hands it over
 * (redacted), written atomically when the run ends.
 */
import type { Reporter, RunReport } from '../core/events.js';
import { writeFileAtomic } from '../core/write-atomic.js';

export function createJsonReporter(file: string): Reporter {
  return {
    async onRunEnd(report: RunReport) {
      await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    },
  };
}
