/**
 * `runbook run --sandbox --concurrency N` on several cores: runbooks (each with its own sandbox) run on as many
 * threads as there are cores at most: the main thread, which also keeps the reporters, and worker threads
 * (run-worker.ts), each running its share of the N at once. Module loading and the JIT's warm-up are paid once per
 * thread, not per runbook, which is why the main thread takes a share rather than only waiting. Worker events
 * arrive in order per worker, and each runbook's events come from one thread, so every runbook's stay in order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Reporter, RunbookReport } from '../core/events.js';
import type { Plan } from '../core/model.js';
import type { FromWorker, ToWorker, WorkerSetup } from './run-worker-protocol.js';

/** How many threads, the main one included: no more than the cores, the runbooks allowed at once, or the runbooks. */
export function workerCount(concurrency: number, runbooks: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, concurrency, runbooks));
}

/** What bin/runbook.js leaves when it loaded the bundle through the code cache: workers load the same way. */
interface CodeCacheBoot {
  loader: string;
  dist: string;
}

function startWorker(setup: WorkerSetup): Worker {
  const boot = (globalThis as { [k: symbol]: CodeCacheBoot | undefined })[Symbol.for('runbook.codeCache')];
  if (!boot) return new Worker(new URL('./run-worker.js', import.meta.url), { workerData: setup });
  // Evaluated as CommonJS in the worker: import() the loader, load the worker's chunk, leave the flush for 'close'.
  const code = `import(${JSON.stringify(boot.loader)}).then(({ codeCacheLoader }) => {
  const loader = codeCacheLoader(${JSON.stringify(boot.dist)}, { flushOnExit: false });
  globalThis[Symbol.for('runbook.flushCodeCache')] = loader.flush;
  loader.load('run-worker');
});`;
  return new Worker(code, { eval: true, workerData: setup });
}

interface Pending {
  plan: Plan;
  reporter: Required<Reporter>;
  resolve: (report: RunbookReport) => void;
}

/** Runs a runbook on the main thread, its events straight to `reporter`. */
export type RunHere = (plan: Plan, reporter: Required<Reporter>) => Promise<RunbookReport>;

/**
 * Starts `threads - 1` workers; `run` gives a runbook to the least busy thread (`here` runs the main thread's) and
 * resolves with its report once its events have been passed to `reporter`. `secrets` receives the values the
 * workers' runners find, before the events that could carry them. `close` ends the workers.
 */
export function workerPool(threads: number, setup: WorkerSetup, here: RunHere, secrets: string[], signals: { signal: AbortSignal; cleanupSignal: AbortSignal }) {
  const pending = new Map<number, Pending & { worker: number }>();
  // Slot 0 is the main thread; slot w + 1 is workers[w].
  const busy = new Array<number>(threads).fill(0);
  let nextId = 0;
  const workers = Array.from({ length: threads - 1 }, (_, w) => {
    const worker = startWorker(setup);
    worker.on('message', receive);
    // A thread that dies takes its runbooks with it: they fail with why, and the run goes on.
    const lost = (why: string) => {
      for (const [id, job] of pending) if (job.worker === w + 1) finish(id, failedReport(job.plan, why, job.reporter));
    };
    worker.on('error', (error) => lost(`the worker thread running it failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => lost(`the worker thread running it exited (${code}) before the runbook ended`));
    return worker;
  });
  const broadcast = (message: ToWorker) => workers.forEach((worker) => worker.postMessage(message));
  const reason = (signal: AbortSignal) => (signal.reason instanceof Error ? signal.reason.message : String(signal.reason));
  const onAbort = () => broadcast({ type: 'abort', reason: reason(signals.signal) });
  const onAbortCleanup = () => broadcast({ type: 'abort-cleanup', reason: reason(signals.cleanupSignal) });
  signals.signal.addEventListener('abort', onAbort, { once: true });
  signals.cleanupSignal.addEventListener('abort', onAbortCleanup, { once: true });

  function finish(id: number, report: RunbookReport): void {
    const job = pending.get(id);
    if (!job) return;
    pending.delete(id);
    busy[job.worker]!--;
    job.resolve(report);
  }

  function receive(message: FromWorker): void {
    switch (message.type) {
      case 'secrets':
        for (const value of message.values) if (!secrets.includes(value)) secrets.push(value);
        return;
      case 'event': {
        const reporter = pending.get(message.id)?.reporter;
        if (reporter) (reporter[message.hook] as (...args: unknown[]) => void)(...message.args);
        return;
      }
      case 'done':
        finish(message.id, message.report);
        return;
      case 'failed': {
        const job = pending.get(message.id);
        if (job) finish(message.id, failedReport(job.plan, message.error, job.reporter));
        return;
      }
    }
  }

  return {
    async run(plan: Plan, reporter: Required<Reporter>): Promise<RunbookReport> {
      const slot = busy.indexOf(Math.min(...busy));
      busy[slot]!++;
      if (slot === 0) {
        try {
          return await here(plan, reporter);
        } finally {
          busy[0]!--;
        }
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { plan, reporter, resolve, worker: slot });
        workers[slot - 1]!.postMessage({ type: 'run', id, plan } satisfies ToWorker);
      });
    },
    async close(): Promise<void> {
      signals.signal.removeEventListener('abort', onAbort);
      signals.cleanupSignal.removeEventListener('abort', onAbortCleanup);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              worker.removeAllListeners('exit');
              worker.once('exit', () => resolve());
              worker.postMessage({ type: 'close' } satisfies ToWorker);
            }),
        ),
      );
    },
  };
}

/** A runbook its worker could not run to the end: failed, with why, said to the reporters as any runbook's end. */
function failedReport(plan: Plan, error: string, reporter?: Required<Reporter>): RunbookReport {
  const report: RunbookReport = { file: plan.file, status: 'failed', steps: [], durationMs: 0, error };
  reporter?.onRunbookEnd(report);
  return report;
}
