/**
 * Runs one runbook: picks its target cluster, runs the selected steps in order, keeps the variables and
 * what was applied, cleans up after a failure or an interrupt, and rewrites recorded outputs with --update.
 */
import path from 'node:path';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import type { Plan, Step } from '../core/model.js';
import type { KubeAccess, StepContext, StepOutput, TouchedObject } from '../core/step.js';
import { kubeKinds, loadRunner } from '../../steps/index.js';
import type { MatchContext } from '../match/index.js';
import { splitsFromManifests } from '../match/index.js';
import type { Reporter, RunbookReport, StepGate, StepReport, Target } from '../core/events.js';
import { selectSteps, type Selection } from './select.js';
import { runStep } from './step.js';
import { cleanup } from './cleanup.js';
import { prefetchBuilds } from './prefetch.js';
import { redact, secretValues } from '../core/redact.js';
import { connectToFlag, kubeconfigConnectTo } from './connect.js';

export interface RunbookOptions extends Selection {
  kubeconfig?: string;
  context?: string;
  /** Extra `--connect-to` mappings. */
  connectTo: string[];
  /** `--set KEY=VALUE`. */
  set: Record<string, string>;
  timeoutMs: number;
  retryBudgetMs: number;
  update: boolean;
  cleanup: boolean;
  failFast: boolean;
  requireContext?: string;
  /** Send this many extra requests through each traffic-split step and check the shares. */
  verifySplits?: number;
  gate?: StepGate;
}

export interface RunbookEnv {
  reporter: Required<Reporter>;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Kubeconfig access for a kubeconfig path and context; injected so tests and the sandbox can share it. */
  loadKube: (kubeconfig: string | undefined, context: string | undefined) => Promise<KubeAccess>;
  /** Values reporters redact; the runner adds the values of secret-looking variables as they appear. */
  secrets?: string[];
  now?: () => number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export async function runRunbook(plan: Plan, options: RunbookOptions, env: RunbookEnv, sandboxed = false): Promise<RunbookReport> {
  const now = env.now ?? (() => performance.now());
  const started = now();
  const selected = selectSteps(plan.steps, options);
  const needsKube = plan.steps.some((s) => selected.has(s.index) && kubeKinds[s.kind]);

  let access: Promise<KubeAccess> | undefined;
  const kube = () => (access ??= env.loadKube(options.kubeconfig, options.context));

  const cache = new Map<string, unknown>();
  const cwd = path.dirname(path.resolve(plan.file));
  // Builds first: they spawn a process that can work while the Kubernetes client loads.
  prefetchBuilds(
    plan.steps.filter((s) => selected.has(s.index) && !s.options.skip),
    { cwd, signal: env.signal, cache },
  );

  let target: Target | undefined;
  const connectTo = options.connectTo.map(connectToFlag);
  try {
    // A runbook that names its contexts (or a run that requires one) is checked even when its cluster work is
    // all shell commands such as `kubectl create`, which the runner cannot see.
    const guarded = options.requireContext !== undefined || (plan.frontMatter.contexts?.length ?? 0) > 0;
    if (needsKube || sandboxed || guarded) {
      const k = await kube();
      target = { context: k.contextName, server: k.server, sandbox: sandboxed };
      guardContext(plan, target, options.requireContext);
    }
    if (options.kubeconfig) connectTo.push(...(await kubeconfigConnectTo(options.kubeconfig, target?.context)));
  } catch (error) {
    env.reporter.onRunbookStart(plan, target);
    const report: RunbookReport = { file: plan.file, status: 'failed', target, steps: [], durationMs: Math.round(now() - started), error: message(error) };
    env.reporter.onRunbookEnd(report);
    return report;
  }
  env.reporter.onRunbookStart(plan, target);

  // Precedence, lowest first: the environment, front matter env, --set, then captures as they happen.
  const vars: Record<string, string> = { ...stringEnv(env.env), ...plan.frontMatter.env, ...options.set };
  if (options.kubeconfig) vars.KUBECONFIG = path.resolve(options.kubeconfig);
  // kubectl in shell steps must use the context the run was given (and the guard checked), not the file's own.
  const contextFile = options.context ? await contextKubeconfig(options.context, vars.KUBECONFIG) : undefined;
  if (contextFile) vars.KUBECONFIG = contextFile.kubeconfig;
  const noteSecrets = () => {
    for (const value of secretValues(vars)) if (!env.secrets?.includes(value)) env.secrets?.push(value);
  };
  noteSecrets();
  const match: MatchContext = { splits: [] };
  const applied: TouchedObject[] = [];
  const appliedManifests: unknown[] = [];
  /** Objects the runbook's own delete steps removed: nothing left for cleanup to do about them. */
  const deleted: TouchedObject[] = [];
  const ranSteps = new Set<number>();
  const reports: StepReport[] = [];
  const outputs = new Map<number, StepOutput>();
  const mismatched = new Set<number>();
  let failed = false;
  let quit = false;
  let warmed = false;

  for (const step of plan.steps) {
    const skipReason = !selected.has(step.index)
      ? 'not selected'
      : step.options.skip
        ? 'skip directive'
        : env.signal.aborted
          ? 'interrupted'
          : quit
            ? 'quit'
            : failed && options.failFast
              ? 'fail-fast'
              : undefined;
    if (skipReason) {
      reports.push(skipped(step, skipReason, env.reporter, plan.file));
      continue;
    }
    if (options.gate) {
      const decision = await options.gate.before(plan.file, step);
      if (decision !== 'run') {
        quit = decision === 'quit';
        reports.push(skipped(step, decision === 'quit' ? 'quit' : 'skipped by presenter', env.reporter, plan.file));
        continue;
      }
    }
    // A wait mostly idles while the cluster works: load the libraries of the steps still to come meanwhile.
    if (step.kind === 'wait' && !warmed) {
      warmed = true;
      warm(plan.steps.filter((s) => s.index > step.index && selected.has(s.index)));
    }
    for (;;) {
      const base: Omit<StepContext, 'signal' | 'deadline'> = {
        cwd,
        vars: { ...vars },
        kube,
        connectTo,
        cache,
        write: (stream, chunk) => env.reporter.onStepOutput(plan.file, step.index, stream, chunk),
      };
      const run = await runStep(step, base, match, {
        timeoutMs: plan.frontMatter.timeoutMs ?? options.timeoutMs,
        retryBudgetMs: plan.frontMatter.retryBudgetMs ?? options.retryBudgetMs,
        signal: env.signal,
        now,
        sleep,
        onAttempt: (attempt, deadline) => env.reporter.onStepStart(plan.file, step, attempt, deadline),
      });
      ranSteps.add(step.index);
      if (run.output) {
        outputs.set(step.index, run.output);
        Object.assign(vars, run.output.vars);
        if (run.output.vars) noteSecrets();
        if (run.output.data?.type === 'objects' && step.kind === 'apply') {
          for (const object of run.output.data.objects) {
            applied.push(object);
            if (object.manifest) appliedManifests.push(object.manifest);
          }
          match.splits = splitsFromManifests(appliedManifests);
        }
        if (run.output.data?.type === 'objects' && step.kind === 'delete') {
          for (const object of run.output.data.objects) if (object.outcome === 'deleted') deleted.push(object);
        }
      }
      if (run.mismatch) mismatched.add(step.index);
      if (options.verifySplits && run.report.status === 'passed') {
        const { verifySplit } = await import('./verify-splits.js');
        const verdict = await verifySplit(step, options.verifySplits, { ...base, signal: env.signal, deadline: Date.now() + options.timeoutMs }, match);
        if (verdict) {
          run.report.note = [run.report.note, `traffic split: ${verdict.summary}`].filter(Boolean).join('; ');
          if (!verdict.ok) Object.assign(run.report, { status: 'failed', error: `traffic split does not follow its weights: ${verdict.summary}` });
        }
      }
      env.reporter.onStepEnd(plan.file, step, run.report);
      if (options.gate) {
        const next = await options.gate.after(plan.file, step, run.report);
        if (next === 'rerun') continue;
        quit = next === 'quit';
      }
      reports.push(run.report);
      if (run.report.status === 'failed') failed = true;
      break;
    }
  }

  const report: RunbookReport = {
    file: plan.file,
    status: failed || env.signal.aborted ? 'failed' : 'passed',
    target,
    steps: reports,
    durationMs: 0,
  };
  if (failed || env.signal.aborted || quit) {
    const gone = new Set(deleted.map(objectKey));
    const remaining = applied.filter((o) => !gone.has(objectKey(o)));
    if (remaining.some((o) => o.outcome === 'created')) {
      report.cleanup = options.cleanup
        ? await cleanup({ plan, applied: remaining, ranSteps, kube, cwd, vars, connectTo, cache })
        : { disabled: true, deleted: 0, left: [] };
      env.reporter.onCleanup(plan.file, report.cleanup);
    }
  }
  await closeAll(cache);
  await contextFile?.remove();
  if (options.update && mismatched.size > 0) report.updated = await update(plan, mismatched, outputs, env.secrets ?? []);
  report.durationMs = Math.round(now() - started);
  env.reporter.onRunbookEnd(report);
  return report;
}

/** Objects are the same across apply and delete when kind, namespace and name agree (versions may differ). */
function objectKey(o: TouchedObject): string {
  return `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

function skipped(step: Step, reason: string, reporter: Required<Reporter>, file: string): StepReport {
  const report: StepReport = {
    index: step.index,
    kind: step.kind,
    line: step.line,
    command: step.command,
    heading: step.heading,
    status: 'skipped',
    durationMs: 0,
    attempts: 0,
    expected: step.expected?.text,
    actual: '',
    exitCode: 0,
    skipReason: reason,
  };
  reporter.onStepEnd(file, step, report);
  return report;
}

/** Refuses a context that the front matter's `contexts:` patterns or `--require-context` do not allow. */
function guardContext(plan: Plan, target: Target, required: string | undefined): void {
  if (required !== undefined && target.context !== required) {
    throw new Error(`current context is "${target.context}" but --require-context asks for "${required}"; nothing was run`);
  }
  const patterns = plan.frontMatter.contexts;
  if (patterns && patterns.length > 0 && !target.sandbox && !patterns.some((p) => globMatch(p, target.context))) {
    throw new Error(
      `context "${target.context}" (${target.server}) does not match the runbook's contexts: ${patterns.join(', ')}; nothing was run`,
    );
  }
}

function globMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(text);
}

/** The rewritten file gets what reporters would show: a token the run saw must not land in the runbook. */
async function update(plan: Plan, mismatched: Set<number>, outputs: Map<number, StepOutput>, secrets: readonly string[]): Promise<number[]> {
  const { applyUpdates, writeFileAtomic } = await import('../update/index.js');
  const { recordedForm } = await import('../match/index.js');
  const updates = plan.steps
    .filter((s) => mismatched.has(s.index) && outputs.has(s.index))
    .map((step) => ({ step, actual: redact(recordedForm(step, outputs.get(step.index)!), secrets) }));
  const original = await readFile(plan.file);
  const next = applyUpdates(plan.file, original, updates);
  if (Buffer.compare(Buffer.from(next), original) !== 0) await writeFileAtomic(plan.file, next);
  return updates.map((u) => u.step.index);
}

function warm(steps: readonly Step[]): void {
  for (const kind of new Set(steps.map((s) => s.kind))) {
    loadRunner(kind)
      .then((runner) => runner.warm?.())
      .catch(() => undefined);
  }
}

/**
 * A KUBECONFIG list whose first file only sets `current-context`: kubectl merges the list and the first
 * current-context wins, so shell steps talk to `context` without touching the user's files.
 */
async function contextKubeconfig(context: string, kubeconfig: string | undefined) {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-context-'));
  const file = path.join(dir, 'kubeconfig');
  await writeFile(file, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(context)}\n`, { mode: 0o600 });
  const rest = kubeconfig ?? process.env.KUBECONFIG ?? path.join(homedir(), '.kube', 'config');
  return { kubeconfig: [file, rest].join(path.delimiter), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Per-run resources that steps keep in the cache (HTTP pools, watches) end with the runbook. */
async function closeAll(cache: Map<string, unknown>): Promise<void> {
  const closable = [...cache.values()].filter(
    (v): v is { close(): unknown } => typeof v === 'object' && v !== null && typeof (v as { close?: unknown }).close === 'function',
  );
  await Promise.all(closable.map(async (v) => v.close())).catch(() => undefined);
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function message(error: unknown): string {
  if (error instanceof Error && 'format' in error && typeof error.format === 'function') return String(error.format());
  return error instanceof Error ? error.message : String(error);
}
