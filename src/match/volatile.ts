/**
 * Text rules for values that vary when a Seldon Core 2 doc, or any doc driving Go and Python tools, is simply run
 * again: xids, protojson's random spaces, curl's trace internals, envoy timings, traffic-split tallies, Python
 * log times and durations, ctime dates, auto-incremented versions. Each rule names the value it forgives and
 * nothing else; `normalise.ts` runs them with the older rules, on both sides, in every matcher.
 */
import { compactJsonLines } from './json-spacing.js';

/** One named text rule: what it replaces and why that value may differ between two runs. */
export interface TextRule {
  name: string;
  apply(text: string): string;
}

const rule = (name: string, pattern: RegExp, replacement: string | ((...m: string[]) => string)): TextRule => ({
  name,
  apply: (text) => text.replace(pattern, replacement as string),
});

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

/** Layout: runs before any token rule, so the token rules see JSON in one spacing. */
export const JSON_SPACING: TextRule = { name: 'JSON_SPACING', apply: compactJsonLines };

// An xid is 12 bytes in base32hex, lower case: 20 characters of 0-9a-v. A word of 20 letters is not one, so a
// digit and a letter are both required.
const XID = /(?<![0-9A-Za-z_])(?=[0-9a-v]{0,19}\d)(?=[0-9a-v]{0,19}[a-v])[0-9a-v]{20}(?![0-9A-Za-z_])/g;

// curl -v's own bookkeeping on `*` lines: timer ids, the transfer's address in memory, connection numbers.
const TRACE_LINE = /^\* .*$/gm;
function curlTrace(line: string): string {
  return line
    .replace(/\bExpire in \d+ ms for \d+/g, 'Expire in [COUNT] ms for [COUNT]')
    .replace(/\(transfer 0x[0-9a-fA-F]+\)/g, '(transfer 0x[HEX])')
    .replace(/\(#\d+\)/g, '(#[COUNT])')
    .replace(/\b(Connection|connection) #\d+/g, '$1 #[COUNT]')
    .replace(/\b([Cc]losing connection) -?\d+/g, '$1 [COUNT]');
}

// Counters are written `[COUNT]`, which accepts digits only: a placeholder broader than its rule (`[NUMBER]`
// takes `-1` and `2.5`) would let the recorded side accept values the rule never forgave.

/** Token rules, most specific first; `normalise.ts` places them before its DATE rules. */
export const volatileRules: readonly TextRule[] = [
  { name: 'CURL_TRACE', apply: (text) => (text.includes('* ') ? text.replace(TRACE_LINE, curlTrace) : text) },
  // Python logging's default asctime: `2022-10-10 08:40:20,849`; the milliseconds follow a comma.
  rule('LOG_TIME', /\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2},\d{1,6}(?!\d)/g, '[DATE]'),
  // C's ctime() and Go's ANSIC/UnixDate layouts: `Wed Jun 14 17:27:04 2023` (helm's LAST DEPLOYED, `date`).
  rule('CTIME', new RegExp(`\\b${DAY} ${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}(?: [A-Z]{2,5})? \\d{4}\\b`, 'g'), '[DATE]'),
  rule('TIME_TAKEN', /\b(Time taken:?\s*)\d+(?:\.\d+)?(?:e-?\d+)?/g, '$1[NUMBER]'),
  rule('XID', XID, '[XID]'),
  // `x-envoy-upstream-service-time: 11`, and seldon's `--show-headers` form `X-Envoy-Upstream-Service-Time:[11]`.
  rule('ENVOY_TIME', /(x-envoy-upstream-service-time"?\s*[:=]\s*\[?"?)\d+/gi, '$1[COUNT]'),
  // `seldon model infer -i N` tallies which route answered: `map[:iris2_1::58 :iris_1::42]`. The routes stay.
  rule('SPLIT_TALLY', /\bmap\[((?::[\w.-]+::\d+ ?)+)\]/g, (m: string) => m.replace(/::\d+/g, '::[COUNT]')),
  // Seldon bumps a pipeline's `version` (and its state's `pipelineVersion`) each time it is loaded again.
  rule('VERSION', /((?<!\\)"(?:version|pipelineVersion)"\s*:\s*"?)\d+(?=["\s,}]|$)/gm, '$1[COUNT]'),
];
