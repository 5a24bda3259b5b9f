/** A grpcurl command line as a typed grpcurl step. grpcurl reads flags with Go's `flag` package. */
import type { GrpcurlArgs } from '../core/model.js';
import { Fallback } from './command-words.js';
import { allValues, boolValue, lastValue, scanFlags, type FlagDef } from './command-flags.js';

const GRPCURL_FLAGS: readonly FlagDef[] = [
  { key: 'data', names: ['d'], takes: 'value' },
  { key: 'plaintext', names: ['plaintext'], takes: 'bool' },
  { key: 'importPath', names: ['import-path'], takes: 'value' },
  { key: 'proto', names: ['proto'], takes: 'value' },
  // With -proto there is no reflection, so -rpc-header and -H reach the same (only) request.
  { key: 'header', names: ['H', 'rpc-header'], takes: 'value' },
  { key: 'maxTime', names: ['max-time'], takes: 'value' },
  { key: 'connectTimeout', names: ['connect-timeout'], takes: 'value' },
  { key: 'emitDefaults', names: ['emit-defaults'], takes: 'bool' },
  { key: 'format', names: ['format'], takes: 'value' },
];

/** Go's float seconds (`-max-time 10`, `-max-time 0.5`). */
function seconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) throw new Fallback(`grpcurl ${flag} '${text}' is not a number of seconds`);
  return Number(text);
}

/** grpcurl's positionals: `[address] list|describe [symbol]` or `address method`. */
function target(positionals: readonly string[]): Pick<GrpcurlArgs, 'address' | 'method' | 'verb'> {
  const [first, ...rest] = positionals;
  if (first === undefined) throw new Fallback('grpcurl has no address or method');
  // Go's flag package stops at the first argument: a later `-plaintext` would reach grpcurl as a symbol.
  const late = rest.find((r) => r.startsWith('-'));
  if (late !== undefined) throw new Fallback(`grpcurl reads no flags after the address (${late} comes after it)`);
  // Like grpcurl: a first argument `list` or `describe` means no address (the -proto files answer).
  const address = first === 'list' || first === 'describe' ? '' : first;
  const after = address === '' ? positionals : rest;
  const [verbOrMethod, symbol, ...extra] = after;
  if (verbOrMethod === 'list' || verbOrMethod === 'describe') {
    if (extra.length > 0) throw new Fallback(`grpcurl ${verbOrMethod} takes one symbol (got '${extra[0]}' too)`);
    return { address, verb: verbOrMethod, method: symbol ?? '' };
  }
  if (verbOrMethod === undefined) throw new Fallback('grpcurl has an address but no method');
  if (address === '') throw new Fallback('grpcurl calls a method without an address');
  if (symbol !== undefined) throw new Fallback(`grpcurl has an extra argument '${symbol}'`);
  return { address, verb: 'call', method: verbOrMethod };
}

/** `grpcurl …` (words after `grpcurl`). */
export function parseGrpcurl(words: readonly string[]): GrpcurlArgs {
  const s = scanFlags(words, GRPCURL_FLAGS, 'go', 'grpcurl');
  const format = lastValue(s, 'format') ?? 'json';
  if (format !== 'json' && format !== 'text') throw new Fallback(`grpcurl -format ${format} is not json or text`);
  const args: GrpcurlArgs = {
    plaintext: boolValue(s, 'plaintext'),
    importPaths: allValues(s, 'importPath'),
    protos: allValues(s, 'proto'),
    headers: allValues(s, 'header'),
    emitDefaults: boolValue(s, 'emitDefaults'),
    format,
    ...target(s.positionals),
  };
  const data = lastValue(s, 'data');
  if (data !== undefined) args.data = data;
  const maxTimeSec = seconds(lastValue(s, 'maxTime'), '-max-time');
  if (maxTimeSec !== undefined) args.maxTimeSec = maxTimeSec;
  const connectTimeoutSec = seconds(lastValue(s, 'connectTimeout'), '-connect-timeout');
  if (connectTimeoutSec !== undefined) args.connectTimeoutSec = connectTimeoutSec;
  return args;
}
