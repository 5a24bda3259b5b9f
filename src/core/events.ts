/**
 * What the runner tells reporters. The runner never renders; reporters never run anything.
 * All report types are plain data so the JSON reporter can write them as they are.
 */
import type { Plan, Step, StepKind } from './model.js';

/**
 * How a step ended. `updated`: its output differed from the recording and `--update` rewrites the recording with
 * it (the step ran fine; only the document was stale), so it neither fails the run nor counts as passed.
 */
export type StepStatus = 'passed' | 'failed' | 'updated' | 'skipped';

/** The cluster a runbook runs against, shown before anything touches it. */
export interface Target {
  context: string;
  server: string;
  /** True when the run started an embedded sandbox for this runbook. */
  sandbox: boolean;
}

export interface StepReport {
  index: number;
  kind: StepKind;
  line: number;
  /**
   * Where a failure is best looked at: the file line of the first recorded output line that differs, or the
   * command's line when the failure is not an output difference. Reporters (GitHub annotations, JUnit) use it.
   */
  failureLine?: number;
  command: string;
  heading?: string;
  /**
   * For a step that shares its cell with others: the cell (0-based, as `list` shows it) and the step's place in it
   * (1-based `command` of `commands`). The cell's recording is compared on its last step unless it splits by command.
   */
  cell?: { index: number; command: number; commands: number };
  status: StepStatus;
  durationMs: number;
  /** Of durationMs, the time spent inside the step kind's own code (all attempts); the rest is runner overhead. */
  workMs?: number;
  /** Epoch milliseconds at which the step finished (absent for skipped steps). */
  endedAt?: number;
  /** 1 unless a read-only step was retried until it matched. */
  attempts: number;
  /** Recorded output (raw, as in the file); absent when the runbook recorded none. */
  expected?: string;
  /** Actual output in the recorded form (e.g. curl -v: transcript then body), secrets redacted. */
  actual: string;
  exitCode: number;
  /** Human-readable difference, uncoloured; present when the output did not match. */
  diff?: string;
  /** Why the step failed when it is not an output difference (exit status, timeout, error). */
  error?: string;
  /** Why it was skipped (directive, --only, fail-fast, interrupted). */
  skipReason?: string;
  /** Conditions and Events of the objects involved, when a wait, apply or delete failed. */
  diagnostics?: string[];
  note?: string;
}

export interface CleanupReport {
  /** Cleanup was not attempted because of --no-cleanup. */
  disabled: boolean;
  deleted: number;
  /** Objects still present after cleanup (or all of them with --no-cleanup), with the reason they are left. */
  left: { object: string; reason: string }[];
  /** A command the user can run to delete what was left (`kubectl delete …`), when anything was left. */
  deleteCommand?: string;
}

export interface RunbookReport {
  file: string;
  status: StepStatus;
  target?: Target;
  steps: StepReport[];
  durationMs: number;
  cleanup?: CleanupReport;
  /** Set when the runbook could not run at all (bad input, unreachable cluster). */
  error?: string;
  /** Indices of the steps whose recorded output `--update` rewrote. */
  updated?: number[];
  /** The presenter quit a guided run (`q` in --step) during this runbook: later runbooks do not start. */
  quit?: boolean;
}

export interface RunReport {
  runbooks: RunbookReport[];
  summary: { passed: number; failed: number; updated: number; skipped: number; durationMs: number };
  interrupted: boolean;
}

/**
 * A reporter is a set of optional hooks (vitest style), called in this order per runbook:
 * onRunbookStart, then per step onStepStart, onStepOutput*, onStepProgress*, onStepEnd, then onCleanup?, onRunbookEnd.
 * Runbooks may interleave when they run concurrently; `file` tells them apart.
 */
export interface Reporter {
  /**
   * Before anything runs. `notes` are run-level warnings to show once, present only when there are any (e.g.
   * `--concurrency` lowered to 1 because the runbooks share one real cluster).
   */
  onRunStart?(runbooks: { file: string; steps: number }[], notes?: string[]): void;
  /** Once the runbook's plan is parsed and its target cluster is known, before its first step. */
  onRunbookStart?(plan: Plan, target: Target | undefined): void;
  /** When a step (or a retry attempt of it) starts; `deadline` is epoch ms. */
  onStepStart?(file: string, step: Step, attempt: number, deadline: number): void;
  /** Output as the step prints it. */
  onStepOutput?(file: string, index: number, stream: 'stdout' | 'stderr', chunk: string): void;
  /**
   * Status of a long step: which objects a wait still waits for, or why a read-only step is retried and how much
   * of its retry budget is left.
   */
  onStepProgress?(file: string, index: number, message: string): void;
  /** When a step has finished and been compared (or skipped). */
  onStepEnd?(file: string, step: Step, report: StepReport): void;
  /** After the cleanup of a runbook that failed or was interrupted (or was told not to clean up). */
  onCleanup?(file: string, report: CleanupReport): void;
  onRunbookEnd?(report: RunbookReport): void;
  /** At the very end; reporters that write files finish writing before this resolves. */
  onRunEnd?(report: RunReport): void | Promise<void>;
}

/** Decides, before and after each step, what a guided (`--step`) run does next. */
export interface StepGate {
  /** Before a step: run it, skip it, or quit (with cleanup). */
  before(file: string, step: Step): Promise<'run' | 'skip' | 'quit'>;
  /** After a step: continue, re-run it, or quit. */
  after(file: string, step: Step, report: StepReport): Promise<'next' | 'rerun' | 'quit'>;
}
