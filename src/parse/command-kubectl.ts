/** The kubectl and kustomize commands that have typed steps: build, apply, wait, delete, and `get -o jsonpath`. */
import type { ApplyArgs, BuildArgs, DeleteArgs, KubeGetArgs, ManifestSource, WaitArgs, WaitFor } from '../core/model.js';
import { Fallback } from './command-words.js';
import { allValues, boolValue, lastValue, scanFlags, type FlagDef } from './command-flags.js';
import { parseDuration } from '../core/duration.js';
import {
  ALL,
  ALL_NAMESPACES,
  FILENAME_FLAGS,
  GLOBAL_FLAGS,
  SELECTOR,
  checkSelection,
  kubeFlags,
  manifestSource,
  resourceArgs,
} from './command-kube-common.js';

/** `kustomize build [DIR]` (`words` after `build`) or `kubectl kustomize [DIR]` (after `kustomize`); DIR defaults to `.`. */
export function parseBuild(words: readonly string[], tool: BuildArgs['tool']): BuildArgs {
  const name = tool === 'kustomize' ? 'kustomize build' : 'kubectl kustomize';
  const s = scanFlags(words, [], 'pflag', name);
  if (s.positionals.length > 1) throw new Fallback(`${name} takes one directory`);
  return { dir: s.positionals[0] ?? '.', tool };
}

const APPLY_FLAGS: readonly FlagDef[] = [
  ...GLOBAL_FLAGS,
  ...FILENAME_FLAGS,
  { key: 'serverSide', names: ['server-side'], takes: 'bool' },
  { key: 'forceConflicts', names: ['force-conflicts'], takes: 'bool' },
  { key: 'fieldManager', names: ['field-manager'], takes: 'value' },
  { key: 'dryRun', names: ['dry-run'], takes: 'attached' },
];

function dryRun(value: string | undefined): ApplyArgs['dryRun'] {
  if (value === undefined) return undefined;
  if (value === 'none' || value === 'client' || value === 'server') return value;
  throw new Fallback(`--dry-run=${value} is not none, client or server`);
}

/** `kubectl apply …` (words after `apply`); `piped` is the build feeding `-f -`. */
export function parseApply(words: readonly string[], piped?: ManifestSource): ApplyArgs {
  const s = scanFlags(words, APPLY_FLAGS, 'pflag', 'kubectl apply');
  if (s.positionals.length > 0) throw new Fallback(`kubectl apply takes no arguments besides flags (got '${s.positionals[0]}')`);
  const source = manifestSource(s, piped);
  if (!source) throw new Fallback('kubectl apply has no -f or -k');
  const args: ApplyArgs = { ...kubeFlags(s), source, serverSide: boolValue(s, 'serverSide') };
  if (boolValue(s, 'forceConflicts')) args.forceConflicts = true;
  const fieldManager = lastValue(s, 'fieldManager');
  if (fieldManager !== undefined) args.fieldManager = fieldManager;
  const dry = dryRun(lastValue(s, 'dryRun'));
  if (dry !== undefined) args.dryRun = dry;
  return args;
}

const WAIT_FLAGS: readonly FlagDef[] = [
  ...GLOBAL_FLAGS,
  ...FILENAME_FLAGS,
  ALL_NAMESPACES,
  SELECTOR,
  ALL,
  { key: 'for', names: ['for'], takes: 'value' },
  { key: 'timeout', names: ['timeout'], takes: 'value' },
];

/** kubectl waits a week when the timeout is negative. */
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** kubectl's relaxed JSONPath: `.a.b` and `a.b` mean `{.a.b}`. */
function relaxedJsonPath(path: string): string {
  if (path.startsWith('{')) return path;
  return `{${path.startsWith('.') ? '' : '.'}${path}}`;
}

/** The `--for` value: `delete`, `condition=NAME[=VALUE]` or `jsonpath=EXPR[=VALUE]` (prefixes case-insensitive). */
export function parseWaitFor(text: string): WaitFor {
  const lower = text.toLowerCase();
  if (lower === 'delete') return { type: 'delete' };
  if (lower.startsWith('condition=')) {
    const body = text.slice('condition='.length);
    const eq = body.indexOf('=');
    const condition = eq < 0 ? body : body.slice(0, eq);
    if (condition === '') throw new Fallback('--for=condition= names no condition');
    return { type: 'condition', condition, value: eq < 0 ? 'true' : body.slice(eq + 1) };
  }
  if (lower.startsWith('jsonpath=')) {
    const body = text.slice('jsonpath='.length);
    // A braced expression may contain `==` in a filter; the value starts after its closing brace.
    let end = body.indexOf('=');
    if (body.startsWith('{')) {
      end = closingBrace(body) + 1;
      if (end === 0) throw new Fallback(`--for=jsonpath=${body} has an unclosed brace`);
    }
    const path = end < 0 ? body : body.slice(0, end);
    const rest = end < 0 ? '' : body.slice(end);
    if (path === '' || path === '{}') throw new Fallback('--for=jsonpath= has no expression');
    if (rest === '') return { type: 'jsonpath', path: relaxedJsonPath(path) };
    if (!rest.startsWith('=')) throw new Fallback(`--for=jsonpath=${body} has text after the expression that is not =VALUE`);
    if (rest === '=') throw new Fallback('--for=jsonpath=… has an empty value after =');
    return { type: 'jsonpath', path: relaxedJsonPath(path), value: rest.slice(1) };
  }
  throw new Fallback(`--for=${text} is not delete, condition=… or jsonpath=…`);
}

/** Index of the `}` that closes the `{` at 0, skipping quoted text in filters; -1 if none. */
function closingBrace(body: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

/** `kubectl wait …` (words after `wait`). */
export function parseWait(words: readonly string[]): WaitArgs {
  const s = scanFlags(words, WAIT_FLAGS, 'pflag', 'kubectl wait');
  const forText = lastValue(s, 'for');
  if (forText === undefined) throw new Fallback('kubectl wait has no --for');
  const timeoutText = lastValue(s, 'timeout');
  let timeoutMs = 30_000;
  if (timeoutText !== undefined) {
    const parsed = parseDuration(timeoutText, { signed: true });
    if (parsed === undefined) throw new Fallback(`--timeout=${timeoutText} is not a duration like 30s, 5m or 1h2m3s`);
    timeoutMs = parsed < 0 ? WEEK_MS : parsed;
  }
  const all = boolValue(s, 'all');
  const selector = lastValue(s, 'selector');
  const args: WaitArgs = { ...kubeFlags(s), for: parseWaitFor(forText), timeoutMs, resource: '', names: [], all };
  if (selector !== undefined) args.selector = selector;
  const source = manifestSource(s);
  const target = resourceArgs(s.positionals);
  if (source && target) throw new Fallback('kubectl wait names objects both with -f/-k and as arguments');
  if (source) {
    args.source = source;
  } else if (target) {
    checkSelection(target, all, selector);
    args.resource = target.resource;
    args.names = target.names;
  } else {
    throw new Fallback('kubectl wait names nothing to wait for');
  }
  return args;
}

const DELETE_FLAGS: readonly FlagDef[] = [
  ...GLOBAL_FLAGS,
  ...FILENAME_FLAGS,
  ALL_NAMESPACES,
  SELECTOR,
  ALL,
  { key: 'ignoreNotFound', names: ['ignore-not-found'], takes: 'bool' },
  { key: 'wait', names: ['wait'], takes: 'bool' },
];

/** `kubectl delete …` (words after `delete`); `piped` is the build feeding `-f -`. */
export function parseDelete(words: readonly string[], piped?: ManifestSource): DeleteArgs {
  const s = scanFlags(words, DELETE_FLAGS, 'pflag', 'kubectl delete');
  const all = boolValue(s, 'all');
  const selector = lastValue(s, 'selector');
  const source = manifestSource(s, piped);
  const target = resourceArgs(s.positionals);
  const common = {
    ...kubeFlags(s),
    ignoreNotFound: boolValue(s, 'ignoreNotFound'),
    // --wait defaults to true: only an explicit false turns it off.
    wait: lastValue(s, 'wait') !== 'false',
  };
  if (source && target) throw new Fallback('kubectl delete names objects both with -f/-k and as arguments');
  if (source) {
    if (all || selector !== undefined) throw new Fallback('kubectl delete -f/-k with --all or -l is not typed');
    return { ...common, target: { type: 'manifests', source } };
  }
  if (!target) throw new Fallback('kubectl delete names nothing to delete');
  checkSelection(target, all, selector);
  const names: DeleteArgs['target'] = { type: 'names', resource: target.resource, names: target.names, all };
  if (selector !== undefined) names.selector = selector;
  return { ...common, target: names };
}

const GET_FLAGS: readonly FlagDef[] = [
  ...GLOBAL_FLAGS,
  ALL_NAMESPACES,
  SELECTOR,
  { key: 'output', names: ['output'], short: 'o', takes: 'value' },
];

/** `kubectl get TYPE [NAME] -o jsonpath=…` (words after `get`); throws Fallback for anything else. */
export function parseGet(words: readonly string[]): KubeGetArgs {
  const s = scanFlags(words, GET_FLAGS, 'pflag', 'kubectl get');
  const output = lastValue(s, 'output');
  if (output === undefined || !output.startsWith('jsonpath=')) throw new Fallback('kubectl get has no -o jsonpath=…');
  const target = resourceArgs(s.positionals);
  if (!target) throw new Fallback('kubectl get names no resource type');
  if (target.names.length > 1) throw new Fallback('kubectl get names several objects');
  const args: KubeGetArgs = { ...kubeFlags(s), resource: target.resource, jsonpath: output.slice('jsonpath='.length) };
  if (target.names[0] !== undefined) args.name = target.names[0];
  const selector = lastValue(s, 'selector');
  if (selector !== undefined) args.selector = selector;
  if (allValues(s, 'output').length > 1) throw new Fallback('kubectl get has several -o flags');
  return args;
}
