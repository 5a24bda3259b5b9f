/**
 * `seldon RESOURCE VERB …` (Seldon Core 2's CLI, cobra with pflag flags) as a typed seldon step, with an optional
 * trailing `| jq -M FILTER` the step applies itself. Every flag and subcommand the typed step cannot honour exactly
 * makes the command a shell step with a note saying why, so `runbook list` can tell.
 */
import type { SeldonArgs, SeldonCommand, SeldonJq, SeldonResource } from '../core/model.js';
import { Fallback, splitPipeline } from './command-words.js';
import { allValues, boolValue, lastValue, scanFlags, type FlagDef, type Scanned } from './command-flags.js';
import { routeSeldon } from './command-seldon-cobra.js';
import type { Env } from './command-seldon-help.js';
import { nameOf, type SeldonFlag } from './command-seldon-table.js';

/** A classified seldon command: the typed step, or shell work with the reason. */
export type SeldonClassified = { kind: 'seldon'; args: SeldonArgs } | { kind: 'shell'; args: { script: string }; note: string };

/** The flags the typed step applies; the CLI's others (`--show-request`, `--seconds`, …) make it a shell step. */
const APPLIED: ReadonlySet<string> = new Set([
  'schedulerHost', 'inferenceHost', 'kafkaBroker', 'authority', 'verbose', 'file', 'timeout', 'wait',
  'mode', 'iterations', 'sticky', 'showHeaders', 'header', 'offset', 'requestId', 'format', 'truncate', 'namespace',
]);

function isResource(word: string | undefined): word is SeldonResource {
  return word === 'model' || word === 'pipeline' || word === 'experiment' || word === 'server';
}

/** The command table's flags as the scanner reads them. */
function flagDefs(flags: readonly SeldonFlag[]): FlagDef[] {
  return flags.map((f) => ({ key: f.key, names: [f.name], ...(f.short ? { short: f.short } : {}), takes: f.type === 'bool' ? 'bool' : 'value' }));
}

/** A pflag int (`-i 50`); anything else is something only the real CLI would judge. */
function integer(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw new Fallback(`seldon ${flag} '${text}' is not an integer`);
  return Number(text);
}

function exactly(positionals: readonly string[], count: number, usage: string): void {
  if (positionals.length !== count) throw new Fallback(`seldon ${usage} takes ${count} argument${count === 1 ? '' : 's'} (got ${positionals.length})`);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The typed command for `resource verb` and its scanned flags. */
function command(resource: SeldonResource, verb: string, s: Scanned): SeldonCommand {
  const p = s.positionals;
  const usage = `${resource} ${verb}`;
  const file = lastValue(s, 'file');
  switch (verb) {
    case 'load':
    case 'start': {
      if (resource === 'server') throw new Fallback(`seldon ${usage} is not a command`);
      if (file === undefined) throw new Fallback(`seldon ${usage} needs -f FILE`);
      exactly(p, 0, usage);
      return { verb: 'load', resource, file };
    }
    case 'unload':
    case 'stop': {
      if (resource === 'server') throw new Fallback(`seldon ${usage} is not a command`);
      if (p.length > 1) throw new Fallback(`seldon ${usage} takes one name`);
      if (p[0] === undefined && file === undefined) throw new Fallback(`seldon ${usage} needs a name or -f FILE`);
      return { verb: 'unload', resource, ...optional('name', p[0]), ...optional('file', p[0] === undefined ? file : undefined) };
    }
    case 'status': {
      exactly(p, 1, usage);
      const wait = resource === 'experiment' ? (boolValue(s, 'wait') ? 'true' : undefined) : lastValue(s, 'wait');
      const timeout = lastValue(s, 'timeout');
      return { verb: 'status', resource, name: p[0]!, ...optional('wait', wait), ...optional('timeoutSec', timeout === undefined ? undefined : integer(timeout, '--timeout', 0)) };
    }
    case 'list':
      exactly(p, 0, usage);
      return { verb: 'list', resource };
    case 'metadata':
      exactly(p, 1, usage);
      return { verb: 'metadata', resource: 'model', name: p[0]! };
    case 'infer': {
      if (resource !== 'model' && resource !== 'pipeline') throw new Fallback(`seldon ${usage} is not a command`);
      if (p.length < 1 || p.length > 2) throw new Fallback(`seldon ${usage} takes a name and an optional payload`);
      const mode = lastValue(s, 'mode') ?? 'rest';
      // The real CLI fails such a call itself; the shell shows its own words for it.
      if (mode !== 'rest' && mode !== 'grpc') throw new Fallback(`seldon --inference-mode ${mode} is not rest or grpc`);
      return {
        verb: 'infer',
        resource,
        name: p[0]!,
        ...optional('data', p[1]),
        ...optional('file', p[1] === undefined ? file : undefined),
        iterations: integer(lastValue(s, 'iterations'), '--iterations', 1),
        mode,
        sticky: boolValue(s, 'sticky'),
        showHeaders: boolValue(s, 'showHeaders'),
        headers: allValues(s, 'header'),
      };
    }
    case 'inspect': {
      exactly(p, 1, usage);
      const format = lastValue(s, 'format') ?? 'raw';
      if (format !== 'json' && format !== 'raw') throw new Fallback(`seldon pipeline inspect --format ${format} is not json or raw`);
      return {
        verb: 'inspect',
        resource: 'pipeline',
        expression: p[0]!,
        offset: integer(lastValue(s, 'offset'), '--offset', 1),
        ...optional('requestId', lastValue(s, 'requestId')),
        format,
        verbose: boolValue(s, 'verbose'),
        truncate: boolValue(s, 'truncate'),
        ...optional('namespace', lastValue(s, 'namespace')),
      };
    }
    default:
      throw new Fallback(`seldon ${usage} is not a command the typed step knows`);
  }
}

/**
 * `seldon …` words (after `seldon`) as typed arguments, routed as cobra routes them: help is a `help` command with
 * the text the CLI prints (its defaults read from `env`, as the CLI reads SELDON_SCHEDULE_HOST and the others when it
 * starts). Throws SeldonUsageError where the CLI refuses the command line, Fallback for what the typed step cannot run.
 */
export function parseSeldon(words: readonly string[], env: Env = {}): SeldonArgs {
  const routed = routeSeldon(words, env);
  const [, group, leaf] = routed.path.map(nameOf);
  if (routed.type === 'help') return { command: { verb: 'help', resource: isResource(group) ? group : 'seldon', text: routed.text }, hosts: {}, verbose: false };
  const known = routed.path.at(-1)!;
  if (!isResource(group) || leaf === undefined) throw new Fallback(`seldon ${routed.path.slice(1).map(nameOf).join(' ')} is not a command the typed step knows`);
  const s = scanFlags(routed.words, flagDefs(known.flags), 'pflag', 'seldon');
  const ignored = known.flags.find((f) => s.values.has(f.key) && !APPLIED.has(f.key));
  if (ignored) throw new Fallback(`seldon flag --${ignored.name} is one the typed step does not apply`);
  const hosts = {
    ...optional('scheduler', lastValue(s, 'schedulerHost')),
    ...optional('inference', lastValue(s, 'inferenceHost')),
    ...optional('kafka', lastValue(s, 'kafkaBroker')),
    ...optional('authority', lastValue(s, 'authority')),
  };
  return { command: command(group, leaf, s), hosts, verbose: boolValue(s, 'verbose') };
}

/** `.`, `.a.b[0]`, `.["a"]`: the jq filters that are a plain path. */
export function parseJqPath(filter: string): SeldonJq | undefined {
  if (filter === '.') return { type: 'pretty' };
  const path: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.?\["((?:[^"\\]|\\.)*)"\]/y;
  let at = 0;
  while (at < filter.length) {
    re.lastIndex = at;
    const m = re.exec(filter);
    if (!m) return undefined;
    if (m[1] !== undefined) path.push(m[1]);
    else if (m[2] !== undefined) path.push(Number(m[2]));
    else path.push(JSON.parse(`"${m[3]}"`) as string);
    at = re.lastIndex;
  }
  return path.length > 0 ? { type: 'path', path } : undefined;
}

/** `jq -M FILTER` (or `jq FILTER -M`, `jq .`): the filter as a path; Fallback for any other jq. */
function parseJq(words: readonly string[]): SeldonJq {
  const [tool, ...rest] = words;
  if (tool !== 'jq') throw new Fallback(`seldon output is piped into ${tool ?? 'an empty stage'}`);
  const filters = rest.filter((w) => w !== '-M');
  const flag = filters.find((w) => w.startsWith('-'));
  if (flag !== undefined) throw new Fallback(`seldon output is piped into jq ${flag}, which the typed step does not apply`);
  if (filters.length > 1) throw new Fallback('seldon output is piped into jq with files or several filters');
  const jq = parseJqPath(filters[0] ?? '.');
  if (!jq) throw new Fallback(`seldon output is piped into the jq program '${filters[0]}', which is not a plain path`);
  return jq;
}

/** True when the command's first word is `seldon`: cheap, so other commands never pay for splitting. */
function startsWithSeldon(script: string): boolean {
  return /^\s*seldon(\s|$)/.test(script);
}

/**
 * Classifies a command that starts with `seldon`; undefined for any other command. Never throws: what the typed step
 * cannot run is a shell step with a note (a `--sandbox` run puts a `seldon` on the shell's PATH).
 */
export function classifySeldon(script: string): SeldonClassified | undefined {
  if (!startsWithSeldon(script)) return undefined;
  try {
    const stages = splitPipeline(script);
    const [first, second, ...more] = stages;
    if (!first || first[0] !== 'seldon') return undefined;
    if (more.length > 0) throw new Fallback(`seldon is part of a ${stages.length}-stage pipeline`);
    const args = parseSeldon(first.slice(1));
    return { kind: 'seldon', args: second ? { ...args, jq: parseJq(second) } : args };
  } catch (err) {
    const reason = err instanceof Fallback ? err.message : `could not be read (${String(err)})`;
    return { kind: 'shell', args: { script }, note: `runs in the shell: ${reason}` };
  }
}
