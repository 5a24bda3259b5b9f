/**
 * `runbook run PATH… [options]`: parse every runbook first (bad input stops everything with exit 2), then run them.
 */
import { setMaxListeners } from 'node:events';
import { stat as statCallback } from 'node:fs';
import { promisify } from 'node:util';
import { ExitCode, InputError } from '../core/errors.js';
import type { Plan } from '../core/model.js';
import type { Reporter } from '../core/events.js';
import type { KubeAccess } from '../core/step.js';
import type { SandboxOptions } from '../sandbox/types.js';
import type { RunEnv, RunOptions } from '../runner/index.js';
import { decideColor, decideColumns, decideInteractive, detectCI } from '../ui/terminal.js';
import { runOptions, sandboxOptions, type RunFlags } from './run-flags.js';
import { claimSignals } from './run-signals.js';
import { runbookFiles } from '../parse/discover.js';

// node:fs's callbacks, promisified, not node:fs/promises: that module (and the readline and stream modules it loads)
// costs ~1.4 ms of every run's start, and nothing else in a one-echo run needs it.
const stat = promisify(statCallback);

export type { RunFlags } from './run-flags.js';

export async function main(paths: string[], flags: RunFlags): Promise<number> {
  // Signals are the run's from the start (bin/runbook.js kept any that came while the bundle loaded): one that
  // lands while runbooks load still ends in exit 130 and the reports (nothing has run yet), not the default kill.
  const controller = new AbortController();
  // Every running step, retry sleep and build listens to the run's interrupt: with several runbooks, many at once.
  setMaxListeners(0, controller.signal);
  // A second signal cuts cleanup short (the runner then says what it left and how to delete it) and gives the
  // process a few seconds to write that; a third ends it at once.
  const cleanupController = new AbortController();
  let interrupts = 0;
  const release = claimSignals((signal) => {
    interrupts++;
    if (interrupts === 1) controller.abort(new Error(`interrupted (${signal})`));
    else if (interrupts === 2) {
      cleanupController.abort(new Error(`interrupted again (${signal})`));
      setTimeout(() => process.exit(ExitCode.interrupted), 5000).unref();
    } else process.exit(ExitCode.interrupted);
  });
  try {
    return await runWith(paths, flags, controller, cleanupController.signal);
  } finally {
    // Never back to Node's default action: a signal while the process winds down still ends it with 130.
    release();
  }
}

async function runWith(paths: string[], flags: RunFlags, controller: AbortController, cleanupSignal: AbortSignal): Promise<number> {
  const options = runOptions(flags);
  const sandbox = sandboxOptions(flags);
  const files = await expand(paths);
  const shard = options.shard && new Set((await import('../runner/shard.js')).shardOf(files.map((f) => f.file), options.shard.index, options.shard.total));
  const picked = shard ? files.filter((f) => shard.has(f.file)) : files;
  const { loadRunbook } = await import('../parse/index.js');
  const { whyIgnored } = await import('../parse/discover.js');
  const plans: Plan[] = [];
  for (const { file, named } of picked) {
    const plan = await loadRunbook(file);
    // A file found in a folder that is not a runbook is left out, and said so (parse/discover.ts decides).
    const ignored = named ? undefined : whyIgnored(plan);
    if (ignored !== undefined) process.stderr.write(`runbook: ignored ${file}: ${ignored}\n`);
    else if (plan.steps.length > 0) plans.push(plan);
    else throw new InputError(`${file}: no steps to run; ${WHAT_IS_A_STEP}`);
  }
  // An empty shard is fine (a CI matrix may have more shards than runbooks); a folder of non-runbooks is not.
  if (plans.length === 0 && picked.length > 0) {
    throw new InputError(`${paths.join(', ')}: no runbooks (files with steps) found; ${WHAT_IS_A_STEP}`);
  }
  codeCachePhase(plans, sandbox !== undefined);
  const loadKube = await clusterAccess(plans, options, sandbox !== undefined);
  if (sandbox) await (await import('./run-sandbox.js')).checkSandboxPorts(sandbox);

  const interactive = decideInteractive({ isTTY: Boolean(process.stdout.isTTY), isCI: detectCI(process.env) });
  let reporters: Reporter[];
  if (flags.step) {
    if (!process.stdin.isTTY) throw new InputError('--step needs an interactive terminal (stdin is not a TTY)');
    const { createWorkshopGate } = await import('../reporters/workshop.js');
    const gate = createWorkshopGate({ stdin: process.stdin, stdout: process.stdout, color: decideColor({ isTTY: Boolean(process.stdout.isTTY), env: process.env }), columns: decideColumns(process.stdout) });
    options.gate = gate;
    const { createReporters } = await import('../reporters/index.js');
    const files = flags.reporter.filter((r) => r.includes('='));
    reporters = [gate.reporter, ...(await createReporters(files.length > 0 ? files : [], reporterEnv(interactive), { defaults: false }))];
  } else {
    const { createReporters } = await import('../reporters/index.js');
    reporters = await createReporters(flags.reporter, reporterEnv(interactive));
  }

  const { runAll } = await import('../runner/index.js');
  // The runner adds secret values as variables appear; the fan-out hides them from every reporter.
  const secrets: string[] = [];
  const pool = sandbox && (await workersFor(plans.length, options, sandbox, { secrets, loadKube, signal: controller.signal, cleanupSignal }));
  let report;
  try {
    report = await runAll(plans, options, {
      reporters,
      signal: controller.signal,
      cleanupSignal,
      env: process.env,
      secrets,
      loadKube,
      provideTarget: sandbox && (async () => (await import('./run-sandbox.js')).sandboxLease(sandbox)),
      runElsewhere: pool?.run,
    });
  } finally {
    await pool?.close();
  }
  if (report.interrupted) return ExitCode.interrupted;
  // Under --update an output difference is `updated`, not `failed`: a runbook whose recordings were all rewritten passes.
  return report.runbooks.some((r) => r.status === 'failed') ? ExitCode.failed : ExitCode.ok;
}

/**
 * Worker threads for `--sandbox --concurrency N` when asked for (RUNBOOK_WORKERS=1) and able to pay: two threads or
 * more (one per core at most), and more runbooks than threads. Off by default: on the 2-core machine it was measured
 * on, the threads cost more CPU (each warms up its own JIT) than the second core gave back (BENCHMARKS.md).
 */
async function workersFor(runbooks: number, options: RunOptions, sandbox: SandboxOptions, env: { secrets: string[]; loadKube: LoadKube; signal: AbortSignal; cleanupSignal: AbortSignal }) {
  if (process.env.RUNBOOK_WORKERS !== '1') return undefined;
  const { workerCount, workerPool } = await import('./run-workers.js');
  const threads = workerCount(options.concurrency, runbooks);
  if (threads < 2 || runbooks <= threads) return undefined;
  const { concurrency: _c, shard: _s, gate: _g, ...runbookOptions } = options;
  const { runOnSandbox } = await import('./run-on-sandbox.js');
  const here = (plan: Plan, reporter: Parameters<typeof runOnSandbox>[3]['reporter']) => runOnSandbox(plan, runbookOptions, sandbox, { ...env, reporter });
  return workerPool(threads, { options: runbookOptions, sandbox }, here, env.secrets, env);
}

/**
 * What the run loads from here on depends on its runbooks' step kinds (and on the sandbox): those chunks get a code
 * cache pack of their own for each set of kinds (bin/code-cache.js, phase()), so a one-echo run does not read the
 * Kubernetes client's, kustomize's and curl's chunks that an istio run needed, as one pack per command made it.
 */
function codeCachePhase(plans: Plan[], sandbox: boolean): void {
  const boot = (globalThis as { [k: symbol]: { phase?: (name: string) => void } | undefined })[Symbol.for('runbook.codeCache')];
  const kinds = [...new Set(plans.flatMap((p) => p.steps.map((s) => s.kind)))].sort();
  boot?.phase?.([...kinds, ...(sandbox ? ['sandbox'] : [])].join(','));
}

const WHAT_IS_A_STEP =
  'a step is a ```sh/```console fence with a `$ ` prompt or recorded output after it, a ```python cell with `!` commands, or a notebook code cell (front matter `runbook: true` makes every shell fence one)';

type LoadKube = RunEnv['loadKube'];

/**
 * The cluster, checked before anything runs when a selected step needs it (or a context guard applies): no
 * kubeconfig, a missing --kubeconfig, an unknown --context or a --require-context that does not match are usage
 * errors (exit 2), not a runbook's failure. The access loaded here is the one the runner then uses.
 */
async function clusterAccess(plans: Plan[], options: RunOptions, sandbox: boolean): Promise<LoadKube> {
  const cache = new Map<string, Promise<KubeAccess>>();
  // The Kubernetes client loads only when a step (or a guard) needs the cluster: not for a runbook of echo cells.
  const loadKube: LoadKube = (kubeconfig, context) => {
    const key = `${kubeconfig ?? ''}\0${context ?? ''}`;
    let access = cache.get(key);
    if (!access) cache.set(key, (access = import('../kube/access.js').then(({ loadKubeAccess }) => loadKubeAccess({ kubeconfig, context, env: process.env }))));
    return access;
  };
  if (sandbox) return loadKube;
  const { selectSteps } = await import('../runner/select.js');
  const { kubeKinds } = await import('../../steps/index.js');
  const needed = plans.some((plan) => {
    const selected = selectSteps(plan.steps, options);
    const guarded = (plan.frontMatter.contexts?.length ?? 0) > 0;
    return guarded || plan.steps.some((s) => selected.has(s.index) && kubeKinds[s.kind]);
  });
  if (!needed && options.requireContext === undefined) return loadKube;
  const access = await loadKube(options.kubeconfig, options.context);
  if (options.requireContext !== undefined && access.contextName !== options.requireContext) {
    throw new InputError(`--require-context ${options.requireContext}: the context is "${access.contextName}" (${access.server}); nothing was run`);
  }
  return loadKube;
}

function reporterEnv(interactive: boolean) {
  return {
    isTTY: interactive,
    isCI: detectCI(process.env),
    stdout: process.stdout,
    stderr: process.stderr,
    color: decideColor({ isTTY: Boolean(process.stdout.isTTY), env: process.env }),
    columns: decideColumns(process.stdout),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Files as given (`named`), folders expanded to every .md and .ipynb inside them (recursively, sorted). */
async function expand(paths: string[]): Promise<{ file: string; named: boolean }[]> {
  const out: { file: string; named: boolean }[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new InputError(`${p}: no such file or directory`);
    if (info.isDirectory()) {
      const found = await runbookFiles(p);
      if (found.length === 0) throw new InputError(`${p}: no runbooks in this folder (no .md or .ipynb file in it or below it)`);
      out.push(...found.map((file) => ({ file, named: false })));
    } else out.push({ file: p, named: true });
  }
  return out;
}
