/**
 * The contract between the runner and the step kinds: one file per kind in steps/, each exporting a `StepRunner`.
 * A step runs its command and returns what it printed plus structured data; it never decides pass or fail.
 */
import type { ArgsOf, StepKind } from './model.js';

/** `--connect-to HOST:PORT:HOST2:PORT2`, as curl means it (empty fields match anything / keep the original). */
export interface ConnectTo {
  host: string;
  port: string;
  toHost: string;
  toPort: string;
}

export interface StepContext {
  /** The runbook's folder: relative paths in arguments resolve against it. */
  cwd: string;
  /** Variables visible to this step (captures, --set, front matter env, process env already merged). */
  vars: Readonly<Record<string, string>>;
  /** Kubeconfig access, created lazily by the runner (it imports @kubernetes/client-node only when needed). */
  kube(): Promise<KubeAccess>;
  /** Aborted on timeout or interrupt; steps stop promptly and kill their children. */
  signal: AbortSignal;
  /** Epoch milliseconds after which the step must give up (a wait's own --timeout may end earlier). */
  deadline: number;
  connectTo: readonly ConnectTo[];
  /**
   * Whether tools should print what they print on a terminal, where runbooks are recorded (a notebook's `!` runs
   * under a pty). Default true; curl then shows no progress meter and no `[N bytes data]` lines, as on a terminal.
   */
  terminal?: boolean;
  /** Stream output as it comes, for the live UI. The final text is still returned in `StepOutput`. */
  write(stream: 'stdout' | 'stderr', chunk: string): void;
  /** Says what a long step is doing while it runs (a wait: which objects it still waits for, and why). */
  progress?(message: string): void;
  /** Per-run caches shared by steps (kustomize builds, discovery, HTTP pools); values with close() are closed when the runbook ends. */
  cache: Map<string, unknown>;
  /** `--allow-writes-outside`: a writefile step may write outside the runbook's folder. Default false. */
  allowWritesOutside?: boolean;
}

/** Kubernetes access for one run, built from the kubeconfig (`--kubeconfig`, `--context`, KUBECONFIG). */
export interface KubeAccess {
  /** An instance of `KubeConfig` from @kubernetes/client-node. Typed loosely so this file imports nothing heavy. */
  config: unknown;
  contextName: string;
  server: string;
  /** The namespace of the current context, `default` if none. */
  namespace: string;
}

/** An object an apply or delete step touched, in input order. */
export interface TouchedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** `created|configured|unchanged|serverside-applied|deleted|not-found|error`. */
  outcome: string;
  /** The manifest as applied (apply only): the runner reads VirtualService splits from it. */
  manifest?: Record<string, unknown>;
}

/** Structured results for the matchers, by kind of evidence. */
export type StepData =
  | { type: 'objects'; objects: TouchedObject[] }
  | { type: 'http'; status: number; headers: Record<string, string>; body: string; httpVersion: string }
  | { type: 'grpc'; code: number; codeName: string; message?: string; response?: unknown }
  | { type: 'value'; variable: string; value: string }
  | { type: 'wait'; met: string[]; pending: { object: string; reason: string }[] };

export interface StepOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
  data?: StepData;
  /**
   * stdout and stderr in the order a terminal shows them (stdout line-buffered, stderr not), when the step knows
   * it: the form a notebook records. Absent for steps whose order is stdout, then stderr.
   */
  screen?: string;
  /** Variables this step defines for later steps (captures). */
  vars?: Record<string, string>;
  /** Extra facts for reports when the step failed: conditions, events (what `kubectl describe` shows). */
  diagnostics?: string[];
  /**
   * Set when the step could not run for want of something on this machine (a Python step without python3): the
   * runner reports it as skipped with this reason, neither passed nor failed.
   */
  skipped?: string;
}

export interface StepRunner<K extends StepKind> {
  run(args: ArgsOf<K>, ctx: StepContext): Promise<StepOutput>;
  /** Loads what `run` would load lazily (protocol libraries), so the runner can do it while a wait idles. */
  warm?(): Promise<void>;
}
