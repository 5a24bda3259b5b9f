/**
 * `seldon RESOURCE VERB …` (Seldon Core 2's CLI, cobra with pflag flags) as a typed seldon step, with an optional
 * trailing `| jq -M FILTER` the step applies itself. Every flag and subcommand the typed step cannot honour exactly
 * makes the command a shell step with a note saying why, so `runbook list` can tell.
 */
import type { SeldonArgs, SeldonCommand, SeldonJq, SeldonResource } from '../core/model.js';
import { Fallback, splitPipeline } from './command-words.js';
import { allValues, boolValue, lastValue, scanFlags, type FlagDef, type Scanned } from './command-flags.js';

/** A classified seldon command: the typed step, or shell work with the reason. */
export type SeldonClassified = { kind: 'seldon'; args: SeldonArgs } | { kind: 'shell'; args: { script: string }; note: string };

const SCHEDULER: FlagDef[] = [
  { key: 'schedulerHost', names: ['scheduler-host'], takes: 'value' },
  { key: 'authority', names: ['authority'], takes: 'value' },
  { key: 'verbose', names: ['verbose'], short: 'v', takes: 'bool' },
];
const FILE: FlagDef = { key: 'file', names: ['file-path'], short: 'f', takes: 'value' };
const TIMEOUT: FlagDef = { key: 'timeout', names: ['timeout'], short: 't', takes: 'value' };
const INFER: FlagDef[] = [
  FILE,
  { key: 'inferenceHost', names: ['inference-host'], takes: 'value' },
  { key: 'authority', names: ['authority'], takes: 'value' },
  { key: 'verbose', names: ['verbose'], short: 'v', takes: 'bool' },
  { key: 'mode', names: ['inference-mode'], takes: 'value' },
  { key: 'iterations', names: ['iterations'], short: 'i', takes: 'value' },
  { key: 'sticky', names: ['sticky-session'], short: 's', takes: 'bool' },
  { key: 'showHeaders', names: ['show-headers'], takes: 'bool' },
  { key: 'header', names: ['header'], takes: 'value' },
];
const INSPECT: FlagDef[] = [
  ...SCHEDULER,
  TIMEOUT,
  { key: 'kafkaBroker', names: ['kafka-broker'], takes: 'value' },
  { key: 'offset', names: ['offset'], takes: 'value' },
  { key: 'requestId', names: ['request-id'], takes: 'value' },
  { key: 'format', names: ['format'], takes: 'value' },
  { key: 'truncate', names: ['truncate'], takes: 'bool' },
  { key: 'namespace', names: ['namespace'], takes: 'value' },
];

/** The verbs each resource has, as the CLI names them. */
const VERBS: Record<SeldonResource, readonly string[]> = {
  model: ['load', 'unload', 'status', 'infer', 'list', 'metadata'],
  pipeline: ['load', 'unload', 'status', 'infer', 'list', 'inspect'],
  experiment: ['start', 'stop', 'status', 'list'],
  server: ['status', 'list'],
};

function isResource(word: string | undefined): word is SeldonResource {
  return word === 'model' || word === 'pipeline' || word === 'experiment' || word === 'server';
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

/** The flags a subcommand accepts (the CLI defines them per command). */
function flagsOf(resource: SeldonResource, verb: string): FlagDef[] {
  if (verb === 'infer') return INFER;
  if (verb === 'inspect') return INSPECT;
  if (verb === 'metadata') return INFER.filter((f) => f.key === 'inferenceHost' || f.key === 'authority' || f.key === 'verbose');
  if (verb === 'status') {
    const wait: FlagDef = { key: 'wait', names: ['wait'], short: 'w', takes: resource === 'experiment' ? 'bool' : 'value' };
    return [...SCHEDULER, TIMEOUT, wait];
  }
  if (verb === 'list') return SCHEDULER;
  return [...SCHEDULER, TIMEOUT, FILE];
}

/** `seldon …` words (after `seldon`) as typed arguments; throws Fallback for what the typed step cannot run. */
export function parseSeldon(words: readonly string[]): SeldonArgs {
  const [resource, verb, ...rest] = words;
  if (!isResource(resource)) throw new Fallback(`seldon ${resource ?? '(no subcommand)'} is not a command the typed step knows`);
  if (verb === undefined || !VERBS[resource].includes(verb)) {
    throw new Fallback(`seldon ${resource} ${verb ?? '(no subcommand)'} is not a command the typed step knows`);
  }
  const s = scanFlags(rest, flagsOf(resource, verb), 'pflag', 'seldon');
  const hosts = {
    ...optional('scheduler', lastValue(s, 'schedulerHost')),
    ...optional('inference', lastValue(s, 'inferenceHost')),
    ...optional('kafka', lastValue(s, 'kafkaBroker')),
    ...optional('authority', lastValue(s, 'authority')),
  };
  return { command: command(resource, verb, s), hosts, verbose: boolValue(s, 'verbose') };
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
