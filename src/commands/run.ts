/**
 * `runbook run PATH… [options]`: parse every runbook first (bad input stops everything with exit 2), then run them.
 */
import { setMaxListeners } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, InputError } from '../core/errors.js';
import type { Plan } from '../core/model.js';
import type { Reporter } from '../core/events.js';
import { shardOf } from '../runner/index.js';
import { decideColor, decideColumns, decideInteractive, detectCI } from '../ui/terminal.js';
import { runOptions, sandboxOptions, type RunFlags } from './run-flags.js';

export type { RunFlags } from './run-flags.js';

export async function main(paths: string[], flags: RunFlags): Promise<number> {
  // Signals are handled from the start: one that lands while runbooks load still ends in exit 130 and the
  // reports (nothing has run yet), rather than in the default kill that writes nothing.
  const controller = new AbortController();
  // Every running step, retry sleep and build listens to the run's interrupt: with several runbooks, many at once.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    controller.abort(new Error(`interrupted (${signal})`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runWith(paths, flags, controller);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runWith(paths: string[], flags: RunFlags, controller: AbortController): Promise<number> {
  const options = runOptions(flags);
  const sandbox = sandboxOptions(flags);
  const files = await expand(paths);
  const picked = options.shard ? shardOf(files, options.shard.index, options.shard.total) : files;
  const { loadRunbook } = await import('../parse/index.js');
  const plans: Plan[] = [];
  for (const file of picked) plans.push(await loadRunbook(file));

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
  const { loadKubeAccess } = await import('../kube/access.js');
  const report = await runAll(plans, options, {
    reporters,
    signal: controller.signal,
    env: process.env,
    // The runner adds secret values as variables appear; the fan-out hides them from every reporter.
    secrets: [],
    loadKube: (kubeconfig, context) => loadKubeAccess({ kubeconfig, context }),
    provideTarget: sandbox && (async () => (await import('./run-sandbox.js')).sandboxLease(sandbox)),
  });
  if (report.interrupted) return ExitCode.interrupted;
  // --update: a runbook whose only failures were output differences, all rewritten, has nothing left to fix.
  const updatedAll = (r: (typeof report.runbooks)[number]) =>
    !r.error && (r.updated?.length ?? 0) > 0 && r.steps.every((s) => s.status !== 'failed' || (!s.error && r.updated!.includes(s.index)));
  return report.runbooks.some((r) => r.status === 'failed' && !updatedAll(r)) ? ExitCode.failed : ExitCode.ok;
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

/** Files as given, folders expanded to every runbook inside them (recursively, sorted). */
async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new InputError(`${p}: no such file or directory`);
    if (info.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (/\.(md|ipynb)$/i.test(entry.name)) out.push(full);
  }
  return out;
}
