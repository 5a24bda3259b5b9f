/**
 * `--reporter ink` (the default on an interactive terminal). Loaded only through a dynamic import, so runs that
 * do not draw with ink never pay for loading it and react.
 */
import { render, renderToString } from 'ink';
import type { Reporter, RunReport } from '../../core/events.js';
import { createInkStore } from './store.js';
import { reflowErase } from './reflow.js';
import { InkApp, LiveArea } from './view.js';

export interface InkReporterOptions {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  color: boolean;
  now?: () => number;
  tickMs?: number;
  /** ink's debug mode (every frame written whole); for tests that capture frames. */
  debug?: boolean;
  /** The terminal re-wraps lines on resize (see reflow.ts); decided at the edge with terminalReflows(). */
  reflows?: boolean;
}

export function createInkReporter(options: InkReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const store = createInkStore({ now, color: options.color });
  const instance = render(<InkApp store={store} color={options.color} now={now} tickMs={options.tickMs} />, {
    stdout: options.stdout,
    stderr: options.stderr,
    // The runner handles Ctrl-C (abort, clean up); ink must not exit on it or patch console.
    exitOnCtrlC: false,
    patchConsole: false,
    debug: options.debug ?? false,
  });
  // Registered before ink's own resize handler (prepend), so the erase happens before ink redraws.
  let columns = options.stdout.columns || 80;
  const onResize = () => {
    const next = options.stdout.columns || 80;
    const { running, multi } = store.getState();
    if (options.reflows !== false && !options.debug && options.stdout.isTTY && running.length > 0) {
      const frame = renderToString(<LiveArea running={running} multi={multi} color={options.color} frame="⠋" now={now()} columns={columns} />, { columns });
      const erase = reflowErase(frame, columns, next);
      if (erase) options.stdout.write(erase);
    }
    columns = next;
  };
  options.stdout.prependListener('resize', onResize);
  return {
    ...store.reporter,
    async onRunEnd(report: RunReport) {
      await store.reporter.onRunEnd?.(report);
      // Let React commit the last state (store updates render asynchronously) so <Static> prints it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Unmounting flushes the last frame (the summary) before the process goes on to exit.
      instance.unmount();
      await instance.waitUntilExit();
      options.stdout.off('resize', onResize);
    },
  };
}
