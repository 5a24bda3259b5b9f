/**
 * Runs plans in-process through the real runner (`runAll`) with fake step runners, a recording reporter, a fake
 * clock and a scripted gate, so the runner's rules are tested without a cluster, processes or time passing.
 * Plans come from Markdown through the real parser (`planFrom`) or are built by hand.
 */
import type { ArgsOf, Plan, Step, StepKind } from '../../src/core/model.js';
import type { KubeAccess, StepContext, StepOutput, StepRunner, TouchedObject } from '../../src/core/step.js';
import type { Reporter, RunReport, StepGate, StepReport } from '../../src/core/events.js';
import { parseRunbook } from '../../src/parse/index.js';
import { runAll, type LoadRunner, type RunOptions, type TargetLease } from '../../src/runner/index.js';

/** A runbook's Markdown, parsed; `file` need not exist unless the run uses --update. */
export function planFrom(markdown: string, file = '/tmp/runbook-harness/runbook.md'): Plan {
  return parseRunbook(file, markdown);
}

/** Console-style Markdown for a command and its recorded output. */
export function md(command: string, output?: string, directive?: string): string {
  const lines = directive ? [`<!-- runbook: ${directive} -->`] : [];
  lines.push('```sh', `$ ${command}`, '```', '');
  if (output !== undefined) lines.push('```output', output, '```', '');
  return lines.join('\n');
}

export type FakeRun<K extends StepKind> = (args: ArgsOf<K>, ctx: StepContext, call: number) => StepOutput | Promise<StepOutput>;
export type Fakes = { [K in StepKind]?: FakeRun<K> };

/** What a fake step runner was called with, in call order (cleanup's deletes included). */
export interface Call {
  kind: StepKind;
  args: unknown;
  vars: Readonly<Record<string, string>>;
  signal: AbortSignal;
  deadline: number;
}

export const ok = (stdout = ''): StepOutput => ({ stdout, stderr: '', exitCode: 0 });

/** The output of an apply that touched these objects (`created` unless said otherwise). */
export function applied(...names: (string | Partial<TouchedObject>)[]): StepOutput {
  const objects = names.map((n): TouchedObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    outcome: 'created',
    ...(typeof n === 'string' ? { name: n } : { name: 'x', ...n }),
  }));
  return { ...ok(objects.map((o) => `configmap/${o.name} ${o.outcome}`).join('\n')), data: { type: 'objects', objects } };
}

/** Names an object delete was asked for (cleanup deletes by name). */
export function deletedNames(calls: readonly Call[]): string[] {
  return calls
    .filter((c) => c.kind === 'delete')
    .flatMap((c) => {
      const target = (c.args as ArgsOf<'delete'>).target;
      return target.type === 'names' ? target.names : ['(manifests)'];
    });
}

export function fakeRunners(fakes: Fakes, calls: Call[]): LoadRunner {
  const counts = new Map<StepKind, number>();
  const load = async (kind: StepKind): Promise<StepRunner<StepKind>> => {
    const fake = fakes[kind] as FakeRun<StepKind> | undefined;
    return {
      async run(args, ctx) {
        calls.push({ kind, args, vars: { ...ctx.vars }, signal: ctx.signal, deadline: ctx.deadline });
        if (!fake) throw new Error(`no fake runner for ${kind}`);
        const n = (counts.get(kind) ?? 0) + 1;
        counts.set(kind, n);
        return fake(args, ctx, n);
      },
    };
  };
  return load as LoadRunner;
}

export interface Event {
  hook: keyof Reporter;
  args: unknown[];
}

/** A reporter with no logic of its own: it keeps every event it is given. */
export function recordingReporter(events: Event[]): Required<Reporter> {
  const record =
    (hook: keyof Reporter) =>
    (...args: unknown[]) =>
      void events.push({ hook, args });
  return {
    onRunStart: record('onRunStart'),
    onRunbookStart: record('onRunbookStart'),
    onStepStart: record('onStepStart'),
    onStepOutput: record('onStepOutput'),
    onStepProgress: record('onStepProgress'),
    onStepEnd: record('onStepEnd'),
    onCleanup: record('onCleanup'),
    onRunbookEnd: record('onRunbookEnd'),
    onRunEnd: async (...args) => void events.push({ hook: 'onRunEnd', args }),
  };
}

type Before = Awaited<ReturnType<StepGate['before']>>;
type After = Awaited<ReturnType<StepGate['after']>>;

/** A presenter who answers from a script: step index → answers in order (then 'run' / 'next'). */
export function scriptedGate(script: { before?: Record<number, Before[]>; after?: Record<number, After[]> }): StepGate & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    async before(_file, step) {
      seen.push(`before ${step.index}`);
      return script.before?.[step.index]?.shift() ?? 'run';
    },
    async after(_file, step, report) {
      seen.push(`after ${step.index} ${report.status}`);
      return script.after?.[step.index]?.shift() ?? 'next';
    },
  };
}

/** Milliseconds that move only when the run sleeps (retries) or a test advances them. */
export function fakeClock(start = 1_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => void (t += ms),
    sleep: async (ms: number) => void (t += ms),
  };
}

export const fakeKube: KubeAccess = { config: {}, contextName: 'test-context', server: 'https://fake.invalid', namespace: 'default' };

export interface HarnessRun {
  report: RunReport;
  events: Event[];
  calls: Call[];
  /** The step reports as onStepEnd delivered them, in order. */
  ended: StepReport[];
  hooks: string[];
}

export interface HarnessOptions {
  fakes?: Fakes;
  options?: Partial<RunOptions>;
  env?: Record<string, string>;
  secrets?: string[];
  reporters?: Reporter[];
  signal?: AbortSignal;
  /** A second interrupt, which cuts cleanup short. */
  cleanupSignal?: AbortSignal;
  provideTarget?: (plan: Plan) => Promise<TargetLease>;
  loadKube?: () => Promise<KubeAccess>;
  clock?: ReturnType<typeof fakeClock>;
  /** Where events and calls go, for a test whose run is expected to throw. */
  events?: Event[];
  calls?: Call[];
}

export const defaultOptions: RunOptions = { connectTo: [], set: {}, update: false, cleanup: true, failFast: false, concurrency: 1 };

/** Runs the plans through runAll; a recording reporter sees every event after the fan-out. */
export async function runPlans(plans: Plan[], h: HarnessOptions = {}): Promise<HarnessRun> {
  const events = h.events ?? [];
  const calls = h.calls ?? [];
  const clock = h.clock ?? fakeClock();
  const report = await runAll(plans, { ...defaultOptions, ...h.options }, {
    reporters: [recordingReporter(events), ...(h.reporters ?? [])],
    signal: h.signal ?? new AbortController().signal,
    cleanupSignal: h.cleanupSignal,
    env: h.env ?? {},
    secrets: h.secrets ?? [],
    loadKube: h.loadKube ?? (async () => fakeKube),
    loadRunner: fakeRunners(h.fakes ?? {}, calls),
    now: clock.now,
    sleep: clock.sleep,
    provideTarget: h.provideTarget,
  });
  const ended = events.filter((e) => e.hook === 'onStepEnd').map((e) => e.args[2] as StepReport);
  return { report, events, calls, ended, hooks: events.map((e) => e.hook) };
}

export const runPlan = (plan: Plan, h: HarnessOptions = {}) => runPlans([plan], h);

/** Status, or `skipped: reason`, of each step as reported. */
export function outcomes(ended: readonly StepReport[]): string[] {
  return ended.map((r) => (r.status === 'skipped' ? `skipped: ${r.skipReason ?? ''}` : r.status));
}

/** A hand-built shell step, for plans that need no parser. */
export function shellStep(index: number, script: string, extra: Partial<Step> = {}): Step {
  return { index, file: '/tmp/runbook-harness/runbook.md', line: index * 4 + 1, command: script, options: {}, kind: 'shell', args: { script }, ...extra } as Step;
}
