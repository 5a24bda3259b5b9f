/** A curl command line as a typed curl step: the flags runbooks use (shared/reference/cli-transcripts.md). */
import type { CurlArgs, CurlData } from '../core/model.js';
import { Fallback } from './command-words.js';
import { allValues, boolValue, lastValue, scanFlags, type FlagDef } from './command-flags.js';

const CURL_FLAGS: readonly FlagDef[] = [
  { key: 'url', names: ['url'], takes: 'value' },
  { key: 'method', names: ['request'], short: 'X', takes: 'value' },
  { key: 'header', names: ['header'], short: 'H', takes: 'value' },
  { key: 'data', names: ['data', 'data-ascii'], short: 'd', takes: 'value' },
  { key: 'data-raw', names: ['data-raw'], takes: 'value' },
  { key: 'data-binary', names: ['data-binary'], takes: 'value' },
  { key: 'data-urlencode', names: ['data-urlencode'], takes: 'value' },
  { key: 'verbose', names: ['verbose'], short: 'v', takes: 'bool' },
  { key: 'silent', names: ['silent'], short: 's', takes: 'bool' },
  { key: 'showError', names: ['show-error'], short: 'S', takes: 'bool' },
  { key: 'include', names: ['include'], short: 'i', takes: 'bool' },
  { key: 'head', names: ['head'], short: 'I', takes: 'bool' },
  { key: 'output', names: ['output'], short: 'o', takes: 'value' },
  { key: 'writeOut', names: ['write-out'], short: 'w', takes: 'value' },
  { key: 'location', names: ['location'], short: 'L', takes: 'bool' },
  { key: 'insecure', names: ['insecure'], short: 'k', takes: 'bool' },
  { key: 'fail', names: ['fail'], short: 'f', takes: 'bool' },
  { key: 'user', names: ['user'], short: 'u', takes: 'value' },
  { key: 'connectTo', names: ['connect-to'], takes: 'value' },
  { key: 'resolve', names: ['resolve'], takes: 'value' },
  { key: 'maxTime', names: ['max-time'], short: 'm', takes: 'value' },
  { key: 'connectTimeout', names: ['connect-timeout'], takes: 'value' },
  { key: 'http2PriorKnowledge', names: ['http2-prior-knowledge'], takes: 'bool' },
];

const DATA_FLAGS: readonly CurlData['flag'][] = ['data', 'data-raw', 'data-binary', 'data-urlencode'];

/** curl's seconds: a decimal number (`5`, `2.5`). */
function seconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) throw new Fallback(`curl ${flag} '${text}' is not a number of seconds`);
  return Number(text);
}

/** `curl …` (words after `curl`). */
export function parseCurl(words: readonly string[]): CurlArgs {
  const s = scanFlags(words, CURL_FLAGS, 'curl', 'curl');
  const urls = [...allValues(s, 'url'), ...s.positionals];
  if (urls.length === 0) throw new Fallback('curl has no URL');
  if (urls.length > 1) throw new Fallback(`curl has several URLs (${urls.join(', ')}); a typed step takes one`);
  const args: CurlArgs = {
    url: urls[0]!,
    headers: allValues(s, 'header'),
    // curl sends every data flag's value joined by '&', in command-line order.
    data: s.sequence.flatMap(({ key, value }) => {
      const flag = DATA_FLAGS.find((f) => f === key);
      return flag ? [{ flag, value }] : [];
    }),
    verbose: boolValue(s, 'verbose'),
    silent: boolValue(s, 'silent'),
    showError: boolValue(s, 'showError'),
    include: boolValue(s, 'include'),
    head: boolValue(s, 'head'),
    location: boolValue(s, 'location'),
    insecure: boolValue(s, 'insecure'),
    fail: boolValue(s, 'fail'),
    connectTo: allValues(s, 'connectTo'),
    resolve: allValues(s, 'resolve'),
    http2PriorKnowledge: boolValue(s, 'http2PriorKnowledge'),
  };
  const method = lastValue(s, 'method');
  if (method !== undefined) args.method = method;
  const output = lastValue(s, 'output');
  if (output !== undefined) args.output = output;
  const writeOut = lastValue(s, 'writeOut');
  if (writeOut !== undefined) args.writeOut = writeOut;
  const user = lastValue(s, 'user');
  if (user !== undefined) args.user = user;
  const maxTimeSec = seconds(lastValue(s, 'maxTime'), '--max-time');
  if (maxTimeSec !== undefined) args.maxTimeSec = maxTimeSec;
  const connectTimeoutSec = seconds(lastValue(s, 'connectTimeout'), '--connect-timeout');
  if (connectTimeoutSec !== undefined) args.connectTimeoutSec = connectTimeoutSec;
  return args;
}
