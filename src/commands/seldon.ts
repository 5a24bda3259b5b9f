/**
 * `runbook seldon …`: the seldon step's implementation as a command, so shell steps (and people) can use it where
 * the Go CLI is not installed. `--sandbox` runs put a `seldon` on the PATH of shell steps that calls this. Addresses
 * come from the flags, the environment (SELDON_SCHEDULE_HOST, …), the kubeconfig's runbook.dev/seldon extension or
 * the cluster's Services; the kubeconfig's connect-to mappings apply as in a run.
 */
import { loadKubeAccess } from '../kube/access.js';
import { kubeconfigConnectTo } from '../runner/connect.js';
import { Fallback } from '../parse/fallback.js';
import { parseSeldon } from '../parse/command-seldon.js';
import { SeldonUsageError } from '../parse/command-seldon-cobra.js';
import type { KubeAccess, StepContext } from '../core/step.js';
import { runSeldon } from '../../steps/seldon.js';

/** Closes what the command's calls left open (gRPC channels, HTTP pools). */
async function closeAll(cache: Map<string, unknown>): Promise<void> {
  for (const value of cache.values()) {
    const closable = value as { close?: () => unknown };
    if (typeof closable.close === 'function') await Promise.resolve(closable.close()).catch(() => undefined);
  }
}

/** `words` are the arguments after `seldon`, as the real CLI takes them. */
export async function main(words: string[]): Promise<number> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  let args;
  try {
    // Help shows the defaults the CLI would read from this environment (SELDON_SCHEDULE_HOST, …).
    args = parseSeldon(words, env);
  } catch (err) {
    if (err instanceof SeldonUsageError) {
      // What cobra prints when it refuses the command line, with the CLI's failure status.
      process.stderr.write(err.stderr);
      return err.exitCode;
    }
    if (!(err instanceof Fallback)) throw err;
    process.stderr.write(`runbook seldon: ${err.message}\n`);
    return 2;
  }
  let kube: Promise<KubeAccess> | undefined;
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const ctx: StepContext = {
    cwd: process.cwd(),
    vars: env,
    kube: () => (kube ??= loadKubeAccess({ env })),
    signal: controller.signal,
    deadline: Number.POSITIVE_INFINITY,
    connectTo: await kubeconfigConnectTo(undefined, undefined, env).catch(() => []),
    write: (stream, chunk) => process[stream].write(chunk),
    cache: new Map(),
  };
  try {
    const out = await runSeldon(args, ctx);
    // A step's diagnostics (why a wait on the sandbox ended early) have no report here: they go after its output.
    for (const line of out.diagnostics ?? []) process.stderr.write(`runbook: ${line}\n`);
    return out.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await closeAll(ctx.cache);
  }
}
