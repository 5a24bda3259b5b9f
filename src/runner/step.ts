/**
 * Runs one step to a verdict: executes it (with its deadline), compares with the recording, and retries
 * read-only steps with backoff until they match or their retry budget is spent.
 */
import type { Step, StepKind } from '../core/model.js';
import type { StepContext, StepOutput, StepRunner } from '../core/step.js';
import { formatDiff, isReadOnly, matchStep, recordedForm } from '../match/index.js';
import type { MatchContext, MatchResult } from '../match/index.js';
import type { StepReport } from '../core/events.js';
import { retryReason, type RetryContext } from './transient.js';

export interface StepRun {
  report: StepReport;
  /** The last attempt's output, absent when the step could not start. */
  output?: StepOutput;
  /** True when the output differs from the recording (as opposed to an error or a bad exit status). */
  mismatch: boolean;
}

/** Loads a step kind's runner: steps/index.ts's loadRunner in a real run, fakes in tests. */
export type LoadRunner = <K extends StepKind>(kind: K) => Promise<StepRunner<K>>;

export interface StepSettings {
  timeoutMs: number;
  retryBudgetMs: number;
  /** The run's interrupt signal. */
  signal: AbortSignal;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  loadRunner: LoadRunner;
  onAttempt: (attempt: number, deadline: number) => void;
  /** Why a read-only step is tried again and how much of its retry budget is left. */
  onProgress?: (message: string) => void;
  /**
   * The last step of a cell compared as a whole (cell.ts): its verdict and the output reports show are the cell's,
   * from this attempt's output and what the cell's earlier steps printed.
   */
  cell?: { compare(output: StepOutput): MatchResult; shown(output: StepOutput): string };
}

/** How long a step may take: a directive wins, then a wait's own --timeout (plus a little grace), then the default. */
export function stepTimeout(step: Step, defaultMs: number): number {
  if (step.options.timeoutMs !== undefined) return step.options.timeoutMs;
  if (step.kind === 'wait') return step.args.timeoutMs + 2_000;
  return defaultMs;
}

export async function runStep(
  step: Step,
  base: Omit<StepContext, 'signal' | 'deadline'>,
  match: MatchContext,
  settings: StepSettings,
): Promise<StepRun> {
  const started = settings.now();
  const budget = isReadOnly(step) ? (step.options.retryBudgetMs ?? settings.retryBudgetMs) : 0;
  const giveUpAt = started + budget;
  let attempt = 0;
  let delay = 100;
  const timing = { now: settings.now, workMs: 0 };
  for (;;) {
    attempt++;
    const timeout = stepTimeout(step, settings.timeoutMs);
    const deadline = Date.now() + timeout;
    settings.onAttempt(attempt, deadline);
    const result = await attemptOnce(step, base, match, settings, timeout, deadline, timing);
    // Only a failure that another attempt can change is retried (transient.ts).
    const why =
      result.verdict === 'passed' || budget === 0 ? undefined : retryReason(step, result.output, result.error, retryContext(base.cache, settings.now()));
    const done = why === undefined || settings.signal.aborted || settings.now() + delay > giveUpAt;
    if (done) {
      if (!isReadOnly(step)) base.cache.set(LAST_WRITE_KEY, settings.now());
      const failed = result.verdict !== 'passed';
      const skipReason = result.output?.skipped;
      return {
        output: result.output,
        mismatch: result.verdict === 'mismatch',
        report: {
          index: step.index,
          kind: step.kind,
          line: step.line,
          command: step.command,
          heading: step.heading,
          note: step.note,
          status: skipReason !== undefined ? 'skipped' : failed ? 'failed' : 'passed',
          ...(skipReason !== undefined && { skipReason }),
          ...(failed && { failureLine: failureLine(step, result.firstDifferingLine) }),
          durationMs: Math.round(settings.now() - started),
          workMs: Math.round(timing.workMs * 100) / 100,
          endedAt: Date.now(),
          attempts: attempt,
          expected: step.expected?.text,
          actual: result.output ? (settings.cell?.shown(result.output) ?? recordedForm(step, result.output)) : '',
          exitCode: result.output?.exitCode ?? -1,
          diff: result.diff,
          error: result.error,
          diagnostics: result.output?.diagnostics,
        },
      };
    }
    settings.onProgress?.(`retrying: ${why} (budget ${formatLeft(giveUpAt - settings.now())} left)`);
    await settings.sleep(delay, settings.signal).catch(() => undefined);
    delay = Math.min(delay * 1.6, 2_000);
  }
}

/** Where a run's cache keeps when its last writing step ended (settings.now() time): transient.ts's 404 window. */
const LAST_WRITE_KEY = 'runner:last-write-ended';

function retryContext(cache: Map<string, unknown>, now: number): RetryContext {
  const ended = cache.get(LAST_WRITE_KEY);
  return typeof ended === 'number' ? { sinceWriteMs: now - ended } : {};
}

interface Attempt {
  verdict: 'passed' | 'mismatch' | 'error';
  output?: StepOutput;
  diff?: string;
  error?: string;
  /** From the matcher: the 0-based index of the first recorded line that differs. */
  firstDifferingLine?: number;
}

async function attemptOnce(
  step: Step,
  base: Omit<StepContext, 'signal' | 'deadline'>,
  match: MatchContext,
  settings: Pick<StepSettings, 'signal' | 'loadRunner' | 'cell'>,
  timeoutMs: number,
  deadline: number,
  /** Receives the time spent in the step kind's code. */
  timing: { now: () => number; workMs: number },
): Promise<Attempt> {
  const interrupt = settings.signal;
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(interrupt.reason);
  interrupt.addEventListener('abort', onInterrupt, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${formatMs(timeoutMs)}`)), timeoutMs);
  try {
    const runner = await settings.loadRunner(step.kind);
    const began = timing.now();
    const output = await runner.run(step.args, { ...base, signal: controller.signal, deadline });
    timing.workMs += timing.now() - began;
    if (controller.signal.aborted) {
      return { verdict: 'error', output, error: reasonText(controller.signal.reason) };
    }
    // A step that could not run on this machine is neither compared nor failed.
    if (output.skipped !== undefined) return { verdict: 'passed', output };
    if (!step.expected) {
      // Nothing recorded: the exit status is the only evidence.
      return output.exitCode === 0
        ? { verdict: 'passed', output }
        : { verdict: 'error', output, error: `exited with status ${output.exitCode}` };
    }
    const result = settings.cell ? settings.cell.compare(output) : matchStep(step, output, match);
    if (result.ok) return { verdict: 'passed', output };
    return {
      verdict: 'mismatch',
      output,
      diff: result.diff ? formatDiff(result.diff, { color: false }) : undefined,
      firstDifferingLine: result.firstDifferingLine,
    };
  } catch (error) {
    if (controller.signal.aborted) return { verdict: 'error', error: reasonText(controller.signal.reason) };
    return { verdict: 'error', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    interrupt.removeEventListener('abort', onInterrupt);
  }
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
}

export function formatMs(ms: number): string {
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(ms % 1_000 === 0 ? 0 : 1)}s` : `${ms}ms`;
}

/** `24s`, or `2.5s` under ten seconds: the retry budget left, as progress shows it. */
function formatLeft(ms: number): string {
  const s = Math.max(0, ms) / 1_000;
  return s >= 10 ? `${Math.round(s)}s` : `${s.toFixed(1)}s`;
}

/**
 * The file line a failure points at: the recorded line that differs first (`firstDifferingLine` counts the
 * recorded block's lines from 0; one past the end, where missing output would go, points at the block's last
 * line), else the command's line (an error, a bad exit status, a notebook, whose lines are JSON).
 */
export function failureLine(step: Step, firstDifferingLine: number | undefined): number {
  const location = step.expected?.location;
  if (firstDifferingLine === undefined || location?.format !== 'markdown') return step.line;
  return Math.max(location.startLine, Math.min(location.startLine + firstDifferingLine, location.endLine));
}
