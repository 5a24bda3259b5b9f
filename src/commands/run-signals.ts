/**
 * SIGINT and SIGTERM from Node's start to the process's exit. bin/runbook.js catches both before the bundle loads
 * (a signal then must not meet Node's default action, which ends the process with no exit code and no report) and
 * keeps the ones that arrive early. A command that handles signals claims them here and is handed the early ones;
 * when it returns, the process may still be winding down (sockets closing, the terminal restored), so a signal
 * then ends it at once with 130, the run's work being done.
 */
import { ExitCode } from '../core/errors.js';

export type SignalHandler = (signal: NodeJS.Signals) => void;

/** What bin/runbook.js leaves on globalThis under `Symbol.for('runbook.signals')`. */
interface Launcher {
  /** Signals that arrived while nobody had claimed them, oldest first. */
  pending: NodeJS.Signals[];
  /** The current handler; unset while nobody has claimed signals. */
  forward?: SignalHandler;
}

const KEY = Symbol.for('runbook.signals');
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The launcher's catcher; installed here when the bundle was started some other way (node dist/cli.js). */
function launcher(): Launcher {
  const scope = globalThis as { [KEY]?: Launcher };
  let found = scope[KEY];
  if (!found) {
    const created: Launcher = { pending: [] };
    const onSignal = (signal: NodeJS.Signals) => {
      if (created.forward) created.forward(signal);
      else if (created.pending.push(signal) > 1) process.exit(ExitCode.interrupted);
    };
    for (const s of SIGNALS) process.on(s, onSignal);
    scope[KEY] = found = created;
  }
  return found;
}

/**
 * Makes `handler` receive every SIGINT and SIGTERM from now on, first those that arrived before (in order).
 * The returned function hands signals back: after it, one ends the process with 130.
 */
export function claimSignals(handler: SignalHandler): () => void {
  const l = launcher();
  l.forward = handler;
  const early = l.pending.splice(0);
  // Next microtask: the caller has its release function by then.
  if (early.length > 0) queueMicrotask(() => early.forEach((signal) => l.forward?.(signal)));
  return () => {
    if (l.forward === handler) l.forward = lateSignal;
  };
}

/** After the command: a signal while the process winds down ends it with 130 (its reports are written). */
function lateSignal(): void {
  process.exit(ExitCode.interrupted);
}

/**
 * For commands that never claim signals (list, check, convert): once the command is over, an early signal still
 * unhandled makes the exit code 130, and any later one ends the process with 130 at once.
 */
export function settleSignals(): boolean {
  const l = launcher();
  if (!l.forward) l.forward = lateSignal;
  return l.pending.splice(0).length > 0;
}
