import type { Reporter } from '../core/events.js';

type Hook = keyof Reporter;

/**
 * One reporter that forwards every hook to many. A reporter that throws must not stop the run
 * or the other reporters; the first such error is kept and rethrown from onRunEnd.
 */
export function fanOut(reporters: Reporter[]): Required<Reporter> {
  let firstError: { error: unknown } | undefined;
  const call = (hook: Hook, args: unknown[]) => {
    const pending: Promise<unknown>[] = [];
    for (const reporter of reporters) {
      const fn = reporter[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) continue;
      try {
        const result = fn.apply(reporter, args);
        if (result instanceof Promise) pending.push(result.catch((error: unknown) => (firstError ??= { error })));
      } catch (error) {
        firstError ??= { error };
      }
    }
    return pending;
  };
  return {
    onRunStart: (...a) => void call('onRunStart', a),
    onRunbookStart: (...a) => void call('onRunbookStart', a),
    onStepStart: (...a) => void call('onStepStart', a),
    onStepOutput: (...a) => void call('onStepOutput', a),
    onStepProgress: (...a) => void call('onStepProgress', a),
    onStepEnd: (...a) => void call('onStepEnd', a),
    onCleanup: (...a) => void call('onCleanup', a),
    onRunbookEnd: (...a) => void call('onRunbookEnd', a),
    onRunEnd: async (...a) => {
      await Promise.all(call('onRunEnd', a));
      if (firstError) throw firstError.error;
    },
  };
}
