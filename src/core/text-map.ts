/**
 * Copies of what events carry with every free-text string mapped: the fan-out redacts with it, terminal reporters
 * sanitise with it. Fields that are a fixed vocabulary (kind, status, an argument's variant) and file paths, which
 * reporters use to tell runbooks apart, are left as they are.
 */
import type { Plan, Step } from './model.js';
import type { CleanupReport, RunbookReport, RunReport, StepReport, Target } from './events.js';

export type TextMap = (text: string) => string;

const opt = (text: string | undefined, fn: TextMap) => (text === undefined ? undefined : fn(text));

/** Keys in step arguments whose values name a variant or a flag, never user text. */
const VOCABULARY = new Set(['type', 'tool', 'flag', 'verb', 'format', 'dryRun']);

/** Step arguments are plain data: every string in them (headers, URLs, data, scripts) is mapped. */
function mapArgs<T>(value: T, fn: TextMap): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapArgs(v, fn)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = VOCABULARY.has(key) ? v : mapArgs(v, fn);
  return out as T;
}

export function mapStep<S extends Step>(step: S, fn: TextMap): S {
  return {
    ...step,
    command: fn(step.command),
    heading: opt(step.heading, fn),
    prose: opt(step.prose, fn),
    note: opt(step.note, fn),
    expected: step.expected && { ...step.expected, text: fn(step.expected.text) },
    args: mapArgs(step.args, fn),
  };
}

export function mapPlan(plan: Plan, fn: TextMap): Plan {
  const { env, contexts, title } = plan.frontMatter;
  return {
    ...plan,
    frontMatter: {
      ...plan.frontMatter,
      title: opt(title, fn),
      contexts: contexts?.map(fn),
      env: env && Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fn(v)])),
    },
    steps: plan.steps.map((s) => mapStep(s, fn)),
  };
}

export function mapStepReport(step: StepReport, fn: TextMap): StepReport {
  const out: StepReport = { ...step, command: fn(step.command), actual: fn(step.actual) };
  for (const key of ['expected', 'diff', 'error', 'skipReason', 'note', 'heading'] as const) {
    if (step[key] !== undefined) out[key] = opt(step[key], fn);
  }
  if (step.diagnostics) out.diagnostics = step.diagnostics.map(fn);
  return out;
}

export function mapTarget(target: Target, fn: TextMap): Target {
  return { ...target, context: fn(target.context), server: fn(target.server) };
}

export function mapCleanup(cleanup: CleanupReport, fn: TextMap): CleanupReport {
  const out: CleanupReport = { ...cleanup, left: cleanup.left.map((l) => ({ object: fn(l.object), reason: fn(l.reason) })) };
  if (cleanup.deleteCommand !== undefined) out.deleteCommand = fn(cleanup.deleteCommand);
  return out;
}

export function mapRunbook(runbook: RunbookReport, fn: TextMap): RunbookReport {
  const out: RunbookReport = { ...runbook, steps: runbook.steps.map((s) => mapStepReport(s, fn)) };
  if (runbook.target) out.target = mapTarget(runbook.target, fn);
  if (runbook.cleanup) out.cleanup = mapCleanup(runbook.cleanup, fn);
  if (runbook.error !== undefined) out.error = fn(runbook.error);
  return out;
}

export function mapRun(report: RunReport, fn: TextMap): RunReport {
  return { ...report, runbooks: report.runbooks.map((r) => mapRunbook(r, fn)) };
}
