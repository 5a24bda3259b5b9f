/**
 * Which kubeconfig a run uses, resolved exactly as kubectl resolves it: `--kubeconfig` alone when given; else
 * every file of the `KUBECONFIG` list (missing entries skipped), merged with the first file winning for each
 * cluster, user and context name and the first non-empty `current-context` winning; else `~/.kube/config`.
 * The one resolver behind kube access (access.ts) and the connect-to reader (kubeconfig-connect-to.ts), so a
 * kubeconfig reached through the environment carries its extensions just as one named with the flag does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../core/errors.js';

export interface KubeconfigLookup {
  /** `--kubeconfig` (already resolved against the right folder). */
  kubeconfig?: string;
  /** The environment whose `KUBECONFIG` counts (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The home folder of `~/.kube/config` (default os.homedir()). */
  home?: string;
}

export interface KubeconfigFiles {
  /** The files that exist, in precedence order (the first wins). */
  files: string[];
  /** Every place looked at, for the message when there is none. */
  looked: string[];
  /** Where the files came from, for messages. */
  source: 'flag' | 'KUBECONFIG' | 'home';
}

/** The kubeconfig files in precedence order; `files` is empty when there is none (see `noKubeconfig`). */
export function kubeconfigFiles(lookup: KubeconfigLookup = {}): KubeconfigFiles {
  if (lookup.kubeconfig) {
    // kubectl refuses a --kubeconfig that does not exist; so do we, as a usage error.
    if (!existsSync(lookup.kubeconfig)) throw new InputError(`--kubeconfig ${lookup.kubeconfig}: no such file`);
    return { files: [lookup.kubeconfig], looked: [lookup.kubeconfig], source: 'flag' };
  }
  const list = (lookup.env ?? process.env).KUBECONFIG;
  if (list) {
    const looked = list.split(path.delimiter).filter(Boolean);
    return { files: looked.filter((f) => existsSync(f)), looked, source: 'KUBECONFIG' };
  }
  const home = path.join(lookup.home ?? homedir(), '.kube', 'config');
  return { files: existsSync(home) ? [home] : [], looked: [home], source: 'home' };
}

/** The usage error for a run that needs a cluster and has no kubeconfig. */
export function noKubeconfig(found: KubeconfigFiles): InputError {
  const where = found.looked.map((f) => (found.source === 'KUBECONFIG' ? `${f} (from KUBECONFIG)` : f)).join(', ');
  return new InputError(`no kubeconfig found (looked at ${where}); use --kubeconfig, KUBECONFIG or --sandbox`);
}

type Named = { name?: unknown } & Record<string, unknown>;

/** A kubeconfig document as plain YAML data (extensions and all), merged kubectl's way. */
export interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: Named[];
  contexts?: Named[];
  users?: Named[];
  [key: string]: unknown;
}

/** Parses one kubeconfig file; InputError naming the file (first line only: an excerpt could show tokens). */
export function readKubeconfigDoc(file: string): KubeconfigDoc {
  try {
    const doc = parse(readFileSync(file, 'utf8')) as unknown;
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as KubeconfigDoc) : {};
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new InputError(`cannot load kubeconfig ${file}: ${reason}`, undefined, { cause: error });
  }
}

/** kubectl's merge: for each named entry and for `current-context`, the first file that sets it wins. */
export function mergeKubeconfigDocs(docs: readonly KubeconfigDoc[]): KubeconfigDoc {
  const merged: KubeconfigDoc = { clusters: [], contexts: [], users: [] };
  for (const doc of docs) {
    if (!merged['current-context'] && typeof doc['current-context'] === 'string') merged['current-context'] = doc['current-context'];
    for (const key of ['clusters', 'contexts', 'users'] as const) {
      const into = merged[key] ?? [];
      const entries = Array.isArray(doc[key]) ? doc[key] : [];
      for (const entry of entries) {
        if (entry && typeof entry === 'object' && !into.some((e) => e.name === entry.name)) into.push(entry);
      }
    }
  }
  return merged;
}

/** The merged kubeconfig of `lookup`, or undefined when there is no kubeconfig at all. */
export function loadKubeconfigDoc(lookup: KubeconfigLookup = {}): KubeconfigDoc | undefined {
  const { files } = kubeconfigFiles(lookup);
  return files.length === 0 ? undefined : mergeKubeconfigDocs(files.map(readKubeconfigDoc));
}
