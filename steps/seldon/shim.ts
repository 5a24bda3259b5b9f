/**
 * The `seldon` that `--sandbox` runs put first on the PATH of shell steps: a two-line script that runs
 * `runbook seldon "$@"`, so shell pipelines such as `seldon pipeline inspect x --format json | jq …` reach the
 * sandbox too. Only when the step's kubeconfig is a sandbox's (it carries the runbook.dev/seldon extension); against
 * a real cluster the PATH is left alone and a real seldon is used.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SELDON_EXTENSION } from '../../src/core/kubeconfig-extension.js';
import { loadKubeconfigDoc } from '../../src/kube/kubeconfig-files.js';
import { clusterExtension } from '../../src/kube/kubeconfig-connect-to.js';

let shimDir: string | undefined;

/** The package's CLI entry (bin/runbook.js), found above this module in the sources and in dist/ alike. */
function cliEntry(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'bin', 'runbook.js');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The folder holding the `seldon` script, made once per process and removed when it exits. */
export function seldonShimDir(): string | undefined {
  if (shimDir) return shimDir;
  const entry = cliEntry();
  if (!entry) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'runbook-seldon-'));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(join(dir, 'seldon'), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(entry)} seldon "$@"\n`);
  chmodSync(join(dir, 'seldon'), 0o755);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  shimDir = dir;
  return dir;
}

/** True when the kubeconfig of `env` is a sandbox's (its current cluster names Seldon's addresses). */
function isSandbox(env: NodeJS.ProcessEnv, cache: Map<string, unknown>): boolean {
  const key = `seldon:shim:${env.KUBECONFIG ?? ''}`;
  const known = cache.get(key);
  if (typeof known === 'boolean') return known;
  let found = false;
  try {
    const doc = loadKubeconfigDoc({ env });
    found = doc !== undefined && clusterExtension(doc, SELDON_EXTENSION) !== undefined;
  } catch {
    found = false;
  }
  cache.set(key, found);
  return found;
}

/** A shell step's environment, with the `seldon` shim first on PATH when the step talks to a sandbox. */
export function withSeldonShim(env: NodeJS.ProcessEnv, cache: Map<string, unknown>): NodeJS.ProcessEnv {
  if (!isSandbox(env, cache)) return env;
  const dir = seldonShimDir();
  return dir ? { ...env, PATH: env.PATH ? `${dir}${delimiter}${env.PATH}` : dir } : env;
}
