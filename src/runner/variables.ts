/**
 * The second phase: the variables steps see. Precedence, lowest first: the process environment, the front
 * matter's `env:`, `--set`, then captures as steps define them (from then on). Values of secret-looking variables
 * join the run's secrets as soon as they appear, so no event carries them.
 */
import path from 'node:path';
import { mkdtemp as mkdtempCallback, rm as rmCallback, writeFile as writeFileCallback } from 'node:fs';
import { promisify } from 'node:util';
import { homedir, tmpdir } from 'node:os';
import { secretValues } from '../core/redact.js';
import type { RunbookScope } from './scope.js';

// node:fs's callbacks, promisified, not node:fs/promises: that module (and the readline and stream modules it loads)
// costs ~1.4 ms of every run's start, and nothing else in a one-echo run needs it.
const mkdtemp = promisify(mkdtempCallback);
const rm = promisify(rmCallback);
const writeFile = promisify(writeFileCallback);

export interface Variables {
  /** The current values; steps get a copy. */
  readonly values: Readonly<Record<string, string>>;
  /** Adds (or overrides) variables a step defined, for the steps after it. */
  define(vars: Readonly<Record<string, string>>): void;
  /** Removes the temporary kubeconfig, if the run made one; when the runbook ends, whatever happened. */
  dispose(): Promise<void>;
}

/** The values before any step runs, without the run's KUBECONFIG. */
function initialValues({ plan, options, env }: RunbookScope): Record<string, string> {
  return { ...stringEnv(env.env), ...plan.frontMatter.env, ...options.set };
}

/** Adds the values of secret-looking variables to the run's secrets (read by the fan-out at every event). */
function noteSecrets(secrets: string[] | undefined, values: Readonly<Record<string, string>>): void {
  for (const value of secretValues(values)) if (!secrets?.includes(value)) secrets?.push(value);
}

/**
 * Notes the secrets known before the runbook starts (environment, front matter, --set), so even the first event,
 * which carries the plan and its front matter, is redacted with them.
 */
export function noteInitialSecrets(scope: RunbookScope): void {
  noteSecrets(scope.env.secrets, initialValues(scope));
}

export async function openVariables(scope: RunbookScope, kube: { kubeconfig?: string; context?: string }): Promise<Variables> {
  const values = initialValues(scope);
  if (kube.kubeconfig) values.KUBECONFIG = path.resolve(kube.kubeconfig);
  // kubectl in shell steps must use the context the run was given (and the guard checked), not the file's own.
  const contextFile = kube.context ? await contextKubeconfig(kube.context, values.KUBECONFIG) : undefined;
  if (contextFile) values.KUBECONFIG = contextFile.kubeconfig;
  noteSecrets(scope.env.secrets, values);
  return {
    values,
    define(vars) {
      Object.assign(values, vars);
      noteSecrets(scope.env.secrets, values);
    },
    dispose: async () => contextFile?.remove(),
  };
}

/**
 * A KUBECONFIG list whose first file only sets `current-context`: kubectl merges the list and the first
 * current-context wins, so shell steps talk to `context` without touching the user's files.
 */
// `kubeconfig` is the KUBECONFIG the run already has (flag, environment or front matter).
async function contextKubeconfig(context: string, kubeconfig: string | undefined) {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-context-'));
  const file = path.join(dir, 'kubeconfig');
  await writeFile(file, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(context)}\n`, { mode: 0o600 });
  const rest = kubeconfig ?? path.join(homedir(), '.kube', 'config');
  return { kubeconfig: [file, rest].join(path.delimiter), remove: () => rm(dir, { recursive: true, force: true }) };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
