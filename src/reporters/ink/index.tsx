/**
 * `--reporter ink` (the default on an interactive terminal). Loaded only through a dynamic import, so runs that
 * do not draw with ink never pay for loading it and react.
 */
import { render } from 'ink';
import type { Reporter, RunReport } from '../../runner/events.js';
import type { Secrets } from '../redacted.js';
import { createInkStore } from './store.js';
import { InkApp } from './view.js';

export interface InkReporterOptions {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  color: boolean;
  secrets: Secrets;
  now?: () => number;
  tickMs?: number;
  /** ink's debug mode (every frame written whole); for tests that capture frames. */
  debug?: boolean;
}

export function createInkReporter(options: InkReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const store = createInkStore({ secrets: options.secrets, now, color: options.color });
  const instance = render(<InkApp store={store} color={options.color} now={now} tickMs={options.tickMs} />, {
    stdout: options.stdout,
    stderr: options.stderr,
    // The runner handles Ctrl-C (abort, clean up); ink must not exit on it or patch console.
    exitOnCtrlC: false,
    patchConsole: false,
    debug: options.debug ?? false,
  });
  return {
    ...store.reporter,
    async onRunEnd(report: RunReport) {
      store.reporter.onRunEnd?.(report);
      // Let React commit the last state (store updates render asynchronously) so <Static> prints it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Unmounting flushes the last frame (the summary) before the process goes on to exit.
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
