/**
 * The seldon step's output, compared by what it is:
 * - JSON (status, infer answers, `{}`): structurally, with xid `uid`s, `version` counters, timestamps and request ids
 *   volatile, and `model_name`/`modelName` free to name another version of the same model;
 * - `Success: map[…]` of `infer -i N`: as a traffic split: the same total, only routes the recording saw or that
 *   an experiment loaded in the run spreads the same requests over, and (unless `-s` made every request follow the
 *   answer before) no recorded route left with nothing when its share makes that all but impossible;
 * - `pipeline inspect` lines: by topic, in order (the topic's namespace is the install's: free), request ids
 *   volatile, each message's JSON structurally;
 * - anything else (list tables, `Error: …`): as text.
 */
import type { SeldonStep } from '../core/model.js';
import { splitLines } from '../core/text.js';
import type { MatchContext, MatchResult, PathEntry } from './types.js';
import { compareJson, display, stringMatches } from './json-compare.js';
import { compareBody } from './curl.js';
import { compareText } from './text.js';
import { normalise } from './normalise.js';
import { SPLIT_ALPHA } from './chi-square.js';
import { modelName } from './splits.js';

/** A Seldon xid (20 characters of base32hex), as pipeline uids and request ids are. */
const XID = /^[0-9a-v]{20}$/;
const ID_KEYS = new Set(['uid', 'id', 'key']);
const MODEL_KEYS = new Set(['model_name', 'modelName']);
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** The values that differ from run to run without meaning anything. */
function volatile(key: string, expected: string, actual: string): boolean {
  if (ID_KEYS.has(key) && XID.test(expected) && XID.test(actual)) return true;
  if (TIMESTAMP.test(expected) && TIMESTAMP.test(actual)) return true;
  // `iris_1` answered where `iris_2` was recorded: another version of the same model.
  if (MODEL_KEYS.has(key)) return expected.replace(/_\d+$/, '') === actual.replace(/_\d+$/, '');
  return false;
}

function result(expected: string, shown: string, entries: PathEntry[], first = 0): MatchResult {
  const base = { expectedNormalised: normalise(expected), actualNormalised: normalise(shown) };
  return entries.length === 0 ? { ok: true, ...base } : { ok: false, ...base, diff: { type: 'paths', entries }, firstDifferingLine: first };
}

const SPLIT = /^Success: map\[(.*)\]$/;

/** `map[:iris2_1::27 :iris_1::23]` as route → count (a route may itself hold colons: the count is after the last). */
function splitCounts(line: string): Map<string, number> | undefined {
  const m = SPLIT.exec(line.trim());
  if (!m) return undefined;
  const counts = new Map<string, number>();
  for (const entry of m[1]!.split(' ').filter((e) => e !== '')) {
    const at = entry.lastIndexOf(':');
    counts.set(entry.slice(0, at), Number(entry.slice(at + 1)));
  }
  return counts;
}

/** `:iris2_1:` → iris2, `:pipeline-add10.pipeline:` → pipeline-add10: the name an experiment's candidate gives. */
const routeName = (route: string) => modelName(route).base.replace(/\.pipeline$/, '');

/** A route the recording did not see, of a candidate of an experiment that also has one the recording saw. */
function experimentPeer(route: string, recorded: Map<string, number>, experiments: readonly string[][]): boolean {
  const name = routeName(route);
  return experiments.some((candidates) => candidates.includes(name) && [...recorded.keys()].some((r) => candidates.includes(routeName(r))));
}

function compareSplit(step: SeldonStep, expected: Map<string, number>, actual: Map<string, number>, experiments: readonly string[][]): PathEntry[] {
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const entries: PathEntry[] = [];
  // The CLI counts every `x-seldon-route` value of an answer (updateSummary), and a pipeline's answer carries two or
  // more (its models', then `:NAME.pipeline:`): the recorded total is N times the values per answer.
  const iterations = step.args.command.verb === 'infer' ? step.args.command.iterations : undefined;
  const n = iterations === undefined || (total(expected) > 0 && total(expected) % iterations === 0) ? total(expected) : iterations;
  if (total(actual) !== n) entries.push({ path: 'total', expected: String(n), actual: String(total(actual)) });
  for (const route of actual.keys()) {
    if (!expected.has(route) && !experimentPeer(route, expected, experiments)) entries.push({ path: `routes[${JSON.stringify(route)}]`, expected: '(missing)', actual: String(actual.get(route)) });
  }
  if (entries.length > 0) return entries;
  // `-s`: every request takes the route of the answer before it, which an experiment chose at random once.
  if (step.args.command.verb === 'infer' && step.args.command.sticky) return entries;
  // The counts move from run to run, and a recording is one sample of them: only a side the recording saw that now
  // gets nothing, where its recorded share makes that all but impossible (p < 0.001), is drift (58/42, then 100/0).
  const recordedTotal = total(expected);
  for (const [route, count] of expected) {
    const share = count / recordedTotal;
    if ((actual.get(route) ?? 0) === 0 && count > 0 && (1 - share) ** total(actual) < SPLIT_ALPHA) {
      entries.push({ path: `routes[${JSON.stringify(route)}]`, expected: `a share near ${count}/${recordedTotal}`, actual: '0' });
    }
  }
  return entries;
}

interface InspectLine {
  topic: string;
  key: string;
  json: string;
}

function inspectLines(text: string): InspectLine[] | undefined {
  const lines = splitLines(text).filter((l) => l.trim() !== '');
  const parsed = lines.map((l) => /^(seldon\.[^\t]+)\t([^\t]*)\t(.*)$/.exec(l));
  if (lines.length === 0 || parsed.some((m) => !m)) return undefined;
  return parsed.map((m) => ({ topic: m![1]!, key: m![2]!, json: m![3]! }));
}

/**
 * `seldon.NAMESPACE.model.NAME.outputs`: Seldon's topic namer puts the namespace the install runs in (`default` for
 * a local Docker Compose install, `seldon-mesh` or another on Kubernetes) into every topic. That is where the
 * recording was made, not what the runbook shows, so two topics are the same when all but that segment is.
 */
function sameTopic(expected: string, actual: string): boolean {
  const withoutNamespace = (topic: string) => topic.replace(/^seldon\.[^.]+\./, 'seldon.*.');
  return expected === actual || withoutNamespace(expected) === withoutNamespace(actual);
}

function compareInspect(expected: InspectLine[], actual: InspectLine[]): { entries: PathEntry[]; first: number } {
  const entries: PathEntry[] = [];
  let first = Infinity;
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i];
    const a = actual[i];
    const path = `lines[${i}]`;
    if (!e || !a || !sameTopic(e.topic, a.topic)) {
      entries.push({ path: `${path}.topic`, expected: e?.topic ?? '(missing)', actual: a?.topic ?? '(missing)' });
      first = Math.min(first, i);
      continue;
    }
    if (e.key !== a.key && !(XID.test(e.key) && XID.test(a.key)) && !stringMatches(e.key, a.key)) {
      entries.push({ path: `${path}.key`, expected: e.key, actual: a.key });
      first = Math.min(first, i);
    }
    const before = entries.length;
    try {
      compareJson(JSON.parse(e.json), JSON.parse(a.json), `${path}.message`, entries, { accepts: volatile });
    } catch {
      if (!stringMatches(e.json, a.json)) entries.push({ path: `${path}.message`, expected: display(e.json), actual: display(a.json) });
    }
    if (entries.length > before) first = Math.min(first, i);
  }
  return { entries, first: Number.isFinite(first) ? first : 0 };
}

/** Compares a seldon step's shown output with its recording. */
export function compareSeldon(step: SeldonStep, shown: string, ctx?: MatchContext): MatchResult {
  const expected = step.expected?.text ?? '';
  const expSplit = splitCounts(expected);
  const actSplit = splitCounts(shown);
  if (expSplit && actSplit) return result(expected, shown, compareSplit(step, expSplit, actSplit, ctx?.experiments ?? []));
  const expInspect = inspectLines(expected);
  const actInspect = inspectLines(shown);
  if (expInspect && actInspect) {
    const { entries, first } = compareInspect(expInspect, actInspect);
    return result(expected, shown, entries, first);
  }
  const body = compareBody(expected, shown, volatile, '');
  if (body.type === 'text') return body.result.ok ? body.result : compareText(expected, shown);
  return result(expected, shown, body.entries.map((e) => (e.path === '' ? { ...e, path: 'output' } : e)));
}
