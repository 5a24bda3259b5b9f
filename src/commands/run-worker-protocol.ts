/**
 * Messages between `runbook run`'s main thread and the worker threads that run runbooks for it
 * (run-workers.ts, run-worker.ts). Everything is plain data: it crosses threads by structured clone.
 */
import type { Reporter, RunbookReport } from '../core/events.js';
import type { Plan } from '../core/model.js';
import type { RunbookOptions } from '../runner/index.js';
import type { SandboxOptions } from '../sandbox/types.js';

/** What each worker is started with: the run's options, the same for every runbook. */
export interface WorkerSetup {
  /** The runner's options without the workshop gate (never with --concurrency > 1). */
  options: Omit<RunbookOptions, 'gate'>;
  sandbox: SandboxOptions;
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'run'; id: number; plan: Plan }
  /** The first interrupt: steps stop, cleanup runs. */
  | { type: 'abort'; reason: string }
  /** The second interrupt: cleanup stops too and says what it left. */
  | { type: 'abort-cleanup'; reason: string }
  /** The run is over: write the code cache and end. */
  | { type: 'close' };

/** A reporter hook and its arguments, as the runner called it in the worker. */
export type ReporterCall = { [H in Exclude<keyof Reporter, 'onRunStart' | 'onRunEnd'>]: { hook: H; args: Parameters<Required<Reporter>[H]> } }[Exclude<keyof Reporter, 'onRunStart' | 'onRunEnd'>];

/** Worker → main thread, in the order things happened (one port per worker keeps it). */
export type FromWorker =
  | ({ type: 'event'; id: number } & ReporterCall)
  /** Secret values the worker's runner found; sent before any event that could carry them. */
  | { type: 'secrets'; values: string[] }
  | { type: 'done'; id: number; report: RunbookReport }
  | { type: 'failed'; id: number; error: string };
