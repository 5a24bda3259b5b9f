/**
 * Where events fan out to the reporters, and where they are redacted: every string of every event, with the
 * secrets known at that moment, once for all reporters. A reporter (or the workshop gate) needs no redaction of
 * its own, and a new one cannot forget it.
 */
import { redact } from '../core/redact.js';
import type { Reporter, StepGate } from '../core/events.js';
import { mapCleanup, mapPlan, mapRun, mapRunbook, mapStep, mapStepReport, mapTarget, type TextMap } from '../core/text-map.js';

type Hook = keyof Reporter;

/**
 * One reporter that redacts each event and forwards it to many. `secrets` is read at every event: the runner adds
 * to it as secret-looking variables appear. A reporter that throws must not stop the run or the other reporters;
 * the first such error is kept and rethrown from onRunEnd.
 */
export function fanOut(reporters: Reporter[], secrets: readonly string[] = []): Required<Reporter> {
  const text: TextMap = (t) => redact(t, secrets);
  const forward = forwarder(reporters);
  const output = outputLines(text, (file, index, stream, chunk) => void forward.call('onStepOutput', [file, index, stream, chunk]));
  return {
    onRunStart: (runbooks, notes) => void forward.call('onRunStart', notes ? [runbooks, notes.map(text)] : [runbooks]),
    onRunbookStart: (plan, target) => void forward.call('onRunbookStart', [mapPlan(plan, text), target && mapTarget(target, text)]),
    onStepStart: (file, step, attempt, deadline) => {
      output.flush(file, step.index);
      void forward.call('onStepStart', [file, mapStep(step, text), attempt, deadline]);
    },
    onStepOutput: (file, index, stream, chunk) => output.write(file, index, stream, chunk),
    onStepProgress: (file, index, message) => void forward.call('onStepProgress', [file, index, text(message)]),
    onStepEnd: (file, step, report) => {
      output.flush(file, step.index);
      void forward.call('onStepEnd', [file, mapStep(step, text), mapStepReport(report, text)]);
    },
    onCleanup: (file, report) => void forward.call('onCleanup', [file, mapCleanup(report, text)]),
    onRunbookEnd: (report) => void forward.call('onRunbookEnd', [mapRunbook(report, text)]),
    onRunEnd: async (report) => {
      await Promise.all(forward.call('onRunEnd', [mapRun(report, text)]));
      forward.rethrow();
    },
  };
}

/** The workshop gate shows steps and reports too: it gets them redacted like the reporters. */
export function redactingGate(gate: StepGate, secrets: readonly string[]): StepGate {
  const text: TextMap = (t) => redact(t, secrets);
  return {
    before: (file, step) => gate.before(file, mapStep(step, text)),
    after: (file, step, report) => gate.after(file, mapStep(step, text), mapStepReport(report, text)),
  };
}

function forwarder(reporters: Reporter[]) {
  let firstError: { error: unknown } | undefined;
  return {
    call(hook: Hook, args: unknown[]): Promise<unknown>[] {
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
    },
    rethrow() {
      if (firstError) throw firstError.error;
    },
  };
}

/** A line longer than this is passed on unfinished, so a step that never prints a newline cannot grow memory. */
const MAX_PENDING = 64 * 1024;

/**
 * Output is redacted by whole lines: a secret (or an `Authorization:` header) split across two chunks would
 * otherwise pass in halves. A chunk's complete lines go on at once; its unfinished end waits for the rest of its
 * line, a carriage return (a progress bar redrawing), the step's next attempt or its end.
 */
function outputLines(text: TextMap, emit: (file: string, index: number, stream: 'stdout' | 'stderr', chunk: string) => void) {
  const pending = new Map<string, string>();
  const key = (file: string, index: number, stream: string) => `${file}\0${index}\0${stream}`;
  return {
    write(file: string, index: number, stream: 'stdout' | 'stderr', chunk: string) {
      const k = key(file, index, stream);
      const all = (pending.get(k) ?? '') + chunk;
      const end = Math.max(all.lastIndexOf('\n'), all.lastIndexOf('\r')) + 1;
      const cut = all.length - end > MAX_PENDING ? all.length : end;
      if (cut > 0) emit(file, index, stream, text(all.slice(0, cut)));
      if (cut < all.length) pending.set(k, all.slice(cut));
      else pending.delete(k);
    },
    flush(file: string, index: number) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const k = key(file, index, stream);
        const rest = pending.get(k);
        if (rest === undefined) continue;
        pending.delete(k);
        emit(file, index, stream, text(rest));
      }
    },
  };
}
