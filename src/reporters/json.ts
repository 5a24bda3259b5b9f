/**
 * `--reporter json=FILE`: the whole RunReport (runbooks, their steps, the summary), redacted, written atomically
 * when the run ends.
 */
import type { Reporter, RunReport } from '../core/events.js';
import { redactRun, type Secrets } from './redacted.js';
import { writeFileAtomic } from '../core/write-atomic.js';

export function createJsonReporter(file: string, options: { secrets: Secrets }): Reporter {
  return {
    async onRunEnd(report: RunReport) {
      await writeFileAtomic(file, `${JSON.stringify(redactRun(report, options.secrets), null, 2)}\n`);
    },
  };
}
