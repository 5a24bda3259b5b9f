/**
 * `runbook run`'s flags, checked and turned into the runner's options; every mistake is an InputError (exit 2)
 * before anything runs.
 */
import { durationFlag } from '../core/duration.js';
import { InputError } from '../core/errors.js';
import type { RunOptions } from '../runner/index.js';
import { parseSandboxFlags } from '../sandbox/options.js';
import type { SandboxOptions } from '../sandbox/types.js';

export interface RunFlags {
  kubeconfig?: string;
  context?: string;
  requireContext?: string;
  sandbox?: boolean;
  sandboxKubeconfig?: string;
  sandboxPort?: string;
  sandboxIngressPort?: string;
  sandboxLoadDelay?: string;
  sandboxFaultWatchDrop?: string;
  sandboxFaultApiErrorRate?: string;
  sandboxFaultRouteDelay?: string;
  reporter: string[];
  set: string[];
  connectTo: string[];
  only?: string;
  from?: string;
  until?: string;
  /** Absent when not given: the front matter's `timeout:` then applies. */
  timeout?: string;
  retryBudget?: string;
  update?: boolean;
  step?: boolean;
  cleanup: boolean;
  failFast?: boolean;
  allowWritesOutside?: boolean;
  concurrency: string;
  shard?: string;
  verifySplits?: string;
}

function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} ${JSON.stringify(text)}: expected an integer >= ${min}`);
  return n;
}

/** A variable name a shell could export: what steps see as `${NAME}`. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function setFlags(pairs: string[]): Record<string, string> {
  const set: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--set ${JSON.stringify(pair)}: expected KEY=VALUE`);
    const key = pair.slice(0, eq);
    if (!VARIABLE_NAME.test(key)) {
      throw new InputError(`--set ${JSON.stringify(pair)}: ${JSON.stringify(key)} is not a variable name; expected letters, digits and _, not starting with a digit (such as INGRESS_IP)`);
    }
    set[key] = pair.slice(eq + 1);
  }
  return set;
}

/** A positive duration: a zero timeout would fail every step before it starts. */
function positiveDuration(flag: string, text: string): number {
  const ms = durationFlag(flag, text);
  if (ms <= 0) throw new InputError(`${flag} ${JSON.stringify(text)}: expected a duration above zero, such as 30s or 5m`);
  return ms;
}

/** `--only 5-3` selects nothing: say so rather than run nothing. Heading text and other forms are the runner's. */
function onlyFlag(text: string | undefined): string | undefined {
  const range = text === undefined ? null : /^\s*(\d+)-(\d+)\s*$/.exec(text);
  if (range && Number(range[1]) > Number(range[2])) {
    throw new InputError(`--only ${JSON.stringify(text)}: the range goes backwards; expected LOW-HIGH, such as ${range[2]}-${range[1]}`);
  }
  return text;
}

function shardFlag(text: string): RunOptions['shard'] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InputError(`--shard ${JSON.stringify(text)}: expected I/N with 1 <= I <= N`);
  return { index: Number(m[1]), total: Number(m[2]) };
}

export function runOptions(flags: RunFlags): RunOptions {
  if (flags.sandbox && (flags.kubeconfig || flags.context)) throw new InputError('--sandbox cannot be combined with --kubeconfig or --context');
  const concurrency = integer('--concurrency', flags.concurrency, 1);
  // One terminal, one prompt: two runbooks at once would ask for two keys at the same time.
  if (flags.step && concurrency > 1) throw new InputError(`--step cannot be combined with --concurrency ${concurrency}: the workshop mode asks before each step, one runbook at a time`);
  return {
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    requireContext: flags.requireContext,
    connectTo: flags.connectTo,
    set: setFlags(flags.set),
    only: onlyFlag(flags.only),
    from: flags.from,
    until: flags.until,
    timeoutMs: flags.timeout === undefined ? undefined : positiveDuration('--timeout', flags.timeout),
    retryBudgetMs: flags.retryBudget === undefined ? undefined : durationFlag('--retry-budget', flags.retryBudget),
    update: Boolean(flags.update),
    cleanup: flags.cleanup,
    failFast: Boolean(flags.failFast),
    allowWritesOutside: Boolean(flags.allowWritesOutside),
    concurrency,
    verifySplits: flags.verifySplits === undefined ? undefined : integer('--verify-splits', flags.verifySplits, 1),
    shard: flags.shard === undefined ? undefined : shardFlag(flags.shard),
  };
}

/** The sandbox's options when `--sandbox` is given. */
export function sandboxOptions(flags: RunFlags): SandboxOptions | undefined {
  if (!flags.sandbox) return undefined;
  return parseSandboxFlags(
    {
      kubeconfig: flags.sandboxKubeconfig,
      port: flags.sandboxPort,
      ingressPort: flags.sandboxIngressPort,
      loadDelay: flags.sandboxLoadDelay,
      faultWatchDrop: flags.sandboxFaultWatchDrop,
      faultApiErrorRate: flags.sandboxFaultApiErrorRate,
      faultRouteDelay: flags.sandboxFaultRouteDelay,
    },
    '--sandbox-',
  );
}
