/** What kubectl's subcommands share: global flags, where manifests come from, `TYPE NAME…` and `TYPE/NAME` arguments. */
import type { KubeFlags, ManifestSource, Text } from '../core/model.js';
import { Fallback } from './command-words.js';
import { boolValue, lastValue, allValues, type FlagDef, type Scanned } from './command-flags.js';

/** Flags every kubectl subcommand takes that a typed step models. */
export const GLOBAL_FLAGS: readonly FlagDef[] = [
  { key: 'namespace', names: ['namespace'], short: 'n', takes: 'value' },
  { key: 'context', names: ['context'], takes: 'value' },
  { key: 'kubeconfig', names: ['kubeconfig'], takes: 'value' },
];

export const ALL_NAMESPACES: FlagDef = { key: 'allNamespaces', names: ['all-namespaces'], short: 'A', takes: 'bool' };
export const SELECTOR: FlagDef = { key: 'selector', names: ['selector'], short: 'l', takes: 'value' };
export const ALL: FlagDef = { key: 'all', names: ['all'], takes: 'bool' };

/** `-f`, `-k`, `-R`: kubectl's FilenameOptions. */
export const FILENAME_FLAGS: readonly FlagDef[] = [
  { key: 'filename', names: ['filename'], short: 'f', takes: 'value' },
  { key: 'kustomize', names: ['kustomize'], short: 'k', takes: 'value' },
  { key: 'recursive', names: ['recursive'], short: 'R', takes: 'bool' },
];

/** Global flags kubectl accepts before its subcommand (`kubectl -n ns get …`) that take a separate value. */
const GLOBAL_VALUE_WORDS = new Set(['-n', '--namespace', '--context', '--kubeconfig']);

/** Splits `kubectl [global flags] SUB args…` into the subcommand and every other argument, in order. */
export function splitSubcommand(words: readonly string[]): { sub: string | undefined; rest: string[] } {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (GLOBAL_VALUE_WORDS.has(w)) {
      i++;
      continue;
    }
    if (w.startsWith('-')) continue;
    return { sub: w, rest: [...words.slice(0, i), ...words.slice(i + 1)] };
  }
  return { sub: undefined, rest: [...words] };
}

export function kubeFlags(s: Scanned): KubeFlags {
  const flags: KubeFlags = {};
  const namespace = lastValue(s, 'namespace');
  const context = lastValue(s, 'context');
  const kubeconfig = lastValue(s, 'kubeconfig');
  if (namespace !== undefined) flags.namespace = namespace;
  if (boolValue(s, 'allNamespaces')) flags.allNamespaces = true;
  if (context !== undefined) flags.context = context;
  if (kubeconfig !== undefined) flags.kubeconfig = kubeconfig;
  return flags;
}

/** The source named by `-f`/`-k`, if any. `-f -` alone reads stdin, which a typed step cannot see. */
export function manifestSource(s: Scanned, stdinFromBuild?: ManifestSource): ManifestSource | undefined {
  // kubectl's -f is a string slice: `-f a.yaml,b.yaml` names two files.
  const files = allValues(s, 'filename').flatMap((f) => f.split(','));
  const kustomize = allValues(s, 'kustomize');
  const recursive = boolValue(s, 'recursive');
  if (stdinFromBuild) {
    // The build's output reaches kubectl only through `-f -`; any other source would be read instead.
    if (files.length === 1 && files[0] === '-' && kustomize.length === 0) return stdinFromBuild;
    throw new Fallback('the piped manifests are not read by exactly one -f -');
  }
  if (files.length > 0 && kustomize.length > 0) throw new Fallback('kubectl does not accept -f and -k together');
  if (kustomize.length > 1) throw new Fallback('kubectl accepts only one -k directory');
  if (kustomize.length === 1) return { type: 'kustomize', dir: kustomize[0]! };
  if (files.length === 0) return undefined;
  if (files.includes('-')) throw new Fallback('-f - reads manifests from stdin, which only the shell can feed');
  return { type: 'files', paths: files, recursive };
}

export interface ResourceArgs {
  resource: Text;
  names: Text[];
}

/** `TYPE NAME…` or `TYPE/NAME…` (one type only: a typed step addresses one resource type). */
export function resourceArgs(positionals: readonly string[]): ResourceArgs | undefined {
  if (positionals.length === 0) return undefined;
  const [first, ...rest] = positionals as [string, ...string[]];
  let resource: string;
  let names: string[];
  if (first.includes('/')) {
    const pairs = positionals.map((p) => {
      const slash = p.indexOf('/');
      if (slash <= 0 || slash === p.length - 1) throw new Fallback(`'${p}' is not TYPE/NAME`);
      return [p.slice(0, slash), p.slice(slash + 1)] as const;
    });
    resource = first.slice(0, first.indexOf('/'));
    if (pairs.some(([t]) => t !== resource)) throw new Fallback('names several resource types; a typed step takes one');
    names = pairs.map(([, n]) => n);
  } else {
    if (rest.some((r) => r.includes('/'))) throw new Fallback('mixes TYPE NAME and TYPE/NAME arguments, which kubectl rejects');
    resource = first;
    names = rest;
  }
  if (resource.includes(',')) throw new Fallback(`'${resource}' names several resource types; a typed step takes one`);
  return { resource, names };
}

/** kubectl's rules for picking objects by name, `--all` or `-l`; breaking them is an error in kubectl too. */
export function checkSelection(args: ResourceArgs, all: boolean, selector: string | undefined): void {
  if (all && selector !== undefined) throw new Fallback('uses both --all and -l, which kubectl rejects');
  if (args.names.length > 0 && (all || selector !== undefined)) {
    throw new Fallback('names objects and also uses --all or -l, which kubectl rejects');
  }
  if (args.names.length === 0 && !all && selector === undefined) {
    throw new Fallback(`names the type '${args.resource}' but no object (no NAME, --all or -l)`);
  }
}
