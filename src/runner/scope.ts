/**
 * What one runbook's run is given (options from the command line, the environment it runs in) and what all its
 * phases share: target.ts, variables.ts, step-loop.ts and finish.ts each take a `RunbookScope`.
 */
import path from 'node:path';
import type { Plan } from '../core/model.js';
import type { KubeAccess } from '../core/step.js';
import type { Reporter, StepGate } from '../core/events.js';
import { loadRunner as loadStepRunner } from '../../steps/index.js';
import type { Selection } from './select.js';
import type { LoadRunner } from './step.js';
import { monotonicMs } from './clock.js';

/** `--timeout` when not given and the front matter sets no `timeout:`. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** `--retry-budget` when not given and the front matter sets no `retry-budget:`. */
export const DEFAULT_RETRY_BUDGET_MS = 30_000;

export interface RunbookOptions extends Selection {
  kubeconfig?: string;
  context?: string;
  /** Extra `--connect-to` mappings. */
  connectTo: string[];
  /** `--set KEY=VALUE`. */
  set: Record<string, string>;
  /** `--timeout`, only when given: it beats the front matter's `timeout:`, which beats DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** `--retry-budget`, only when given; same precedence as the timeout. */
  retryBudgetMs?: number;
  update: boolean;
  cleanup: boolean;
  failFast: boolean;
  /** `--allow-writes-outside`: `%%writefile` cells may write outside the runbook's folder. */
  allowWritesOutside?: boolean;
  requireContext?: string;
  /** Send this many extra requests through each traffic-split step and check the shares. */
  verifySplits?: number;
  gate?: StepGate;
}

/** A cluster the command started for this runbook (the sandbox); the run uses it instead of --kubeconfig. */
export interface ProvidedTarget {
  kubeconfig: string;
  /** `HOST:PORT:CONNECT_HOST:CONNECT_PORT` mappings that reach it: its ingress, seldon-mesh, the scheduler. */
  connectTo: string[];
}

export interface RunbookEnv {
  /** Every reporter behind one fan-out (which also redacts; see fanout.ts). */
  reporter: Required<Reporter>;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Kubeconfig access for a kubeconfig path and context; injected so tests and the sandbox can share it. */
  loadKube: (kubeconfig: string | undefined, context: string | undefined) => Promise<KubeAccess>;
  /** Values reporters never see; the runner adds the values of secret-looking variables as they appear. */
  secrets?: string[];
  /** Milliseconds clock for durations and retries (default monotonicMs, clock.ts). */
  now?: () => number;
  /** Waits between retries (default a timer that the signal cuts short). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The step kinds' runners (default steps/index.ts); tests pass fakes. */
  loadRunner?: LoadRunner;
  provided?: ProvidedTarget;
  /**
   * Aborted when the user insists (a second Ctrl-C) while cleanup runs: cleanup stops at once and reports what it
   * left, with the command that deletes it, instead of the process dying with objects left unsaid.
   */
  cleanupSignal?: AbortSignal;
}

export interface RunbookScope {
  plan: Plan;
  options: RunbookOptions;
  env: RunbookEnv;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  loadRunner: LoadRunner;
  /** The runbook's folder: relative paths in steps resolve against it. */
  cwd: string;
  /** Per-run caches shared by steps; values with close() are closed when the runbook ends. */
  cache: Map<string, unknown>;
  /** The steps that run: the ones picked by --only/--from/--until and the ones they depend on. */
  selected: ReadonlySet<number>;
  /** Of `selected`, the steps that run only because a picked step uses a variable they define, with why. */
  pulledIn: ReadonlyMap<number, string>;
  /** The run's defaults after precedence: flag, then front matter, then the built-in default. */
  timeoutMs: number;
  retryBudgetMs: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export function runbookScope(
  plan: Plan,
  options: RunbookOptions,
  env: RunbookEnv,
  selection: { selected: ReadonlySet<number>; pulledIn: ReadonlyMap<number, string> },
): RunbookScope {
  return {
    plan,
    options,
    env,
    now: env.now ?? monotonicMs,
    sleep: env.sleep ?? sleep,
    loadRunner: env.loadRunner ?? loadStepRunner,
    cwd: path.dirname(path.resolve(plan.file)),
    cache: new Map(),
    selected: selection.selected,
    pulledIn: selection.pulledIn,
    timeoutMs: options.timeoutMs ?? plan.frontMatter.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryBudgetMs: options.retryBudgetMs ?? plan.frontMatter.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
  };
}
