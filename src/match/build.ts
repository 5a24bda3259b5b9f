/**
 * build (`kustomize build`): both sides as multi-document YAML, compared object by object, keyed by API group,
 * kind, namespace and name, each difference named by its JSON path. Text when a side is not a list of objects.
 */
import { parseAllDocuments } from 'yaml';
import { isObject } from '../core/json.js';
import type { MatchResult, PathEntry } from './types.js';
import { compareJson } from './json-compare.js';
import { compareText } from './text.js';
import { splitLines } from '../core/text.js';
import { isRegexLine, ELLIPSIS } from './patterns.js';
import { normalise } from './normalise.js';
import { clampLine, lineOfKeys, pathKeys } from './locate.js';

interface KubeObject {
  key: string;
  label: string;
  value: Record<string, unknown>;
}

/** The objects of a YAML stream, or undefined when it is not one (parse errors, scalars, objects without a kind). */
export function parseObjects(text: string): KubeObject[] | undefined {
  if (text.trim() === '') return undefined;
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs)) return undefined;
  const out: KubeObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) return undefined;
    let value: unknown;
    try {
      value = doc.toJS();
    } catch {
      // An alias without its anchor, a cyclic merge: not objects we can compare.
      return undefined;
    }
    if (value === null || value === undefined) continue;
    if (!isObject(value) || typeof value.kind !== 'string') return undefined;
    const meta = isObject(value.metadata) ? value.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    const group = typeof value.apiVersion === 'string' && value.apiVersion.includes('/') ? value.apiVersion.split('/')[0] : '';
    out.push({ key: `${group}|${value.kind}|${ns}|${name}`, label: `${value.kind} ${ns ? `${ns}/` : ''}${name}`, value });
  }
  return out.length > 0 ? out : undefined;
}

function usesLinePatterns(text: string): boolean {
  return splitLines(text).some((l) => l.trim() === ELLIPSIS || isRegexLine(l));
}

export function compareBuild(expected: string, actualYaml: string, actualShown: string): MatchResult {
  const exp = usesLinePatterns(expected) ? undefined : parseObjects(expected);
  const act = exp ? parseObjects(actualYaml) : undefined;
  if (!exp || !act) return compareText(expected, actualShown);
  const entries: PathEntry[] = [];
  const recorded = splitLines(expected);
  const docs = documents(recorded);
  // Where each difference sits in the recorded YAML: its object's document, then its path's keys in it.
  let first = Infinity;
  const at = (o: KubeObject, keys: string[]) => {
    const doc = docs.find((d) => d.kind === o.value.kind && d.name === nameOf(o)) ?? { from: 0, to: recorded.length };
    first = Math.min(first, lineOfKeys(recorded, keys, 'yaml', doc.from, doc.to));
  };
  const byKey = new Map(act.map((o) => [o.key, o]));
  for (const e of exp) {
    const a = byKey.get(e.key);
    if (!a) {
      entries.push({ path: e.label, expected: 'an object', actual: '(missing)' });
      at(e, []);
      continue;
    }
    byKey.delete(e.key);
    const diffs: PathEntry[] = [];
    compareJson(e.value, a.value, '', diffs);
    for (const d of diffs) {
      entries.push({ ...d, path: `${e.label}: ${d.path}` });
      at(e, pathKeys(d.path));
    }
  }
  for (const a of byKey.values()) {
    entries.push({ path: a.label, expected: '(absent)', actual: 'an object' });
    first = Math.min(first, recorded.length);
  }
  const ok = entries.length === 0;
  const expectedNormalised = normalise(expected);
  const actualNormalised = normalise(actualYaml);
  return ok
    ? { ok, expectedNormalised, actualNormalised }
    : { ok, expectedNormalised, actualNormalised, diff: { type: 'paths', entries }, firstDifferingLine: clampLine(first, expected) };
}

const nameOf = (o: KubeObject) => {
  const meta = o.value.metadata;
  return isObject(meta) && typeof meta.name === 'string' ? meta.name : '';
};

/** The documents of a YAML stream by line range, with the kind and name their top-level lines give. */
function documents(lines: readonly string[]): { from: number; to: number; kind?: string; name?: string }[] {
  const docs: { from: number; to: number; kind?: string; name?: string }[] = [];
  let from = 0;
  const close = (to: number) => {
    const slice = lines.slice(from, to);
    const kind = slice.map((l) => /^kind:\s*["']?([^"'\s]+)/.exec(l)?.[1]).find((k) => k !== undefined);
    const name = slice.map((l) => /^\s+name:\s*["']?([^"'\s]+)/.exec(l)?.[1]).find((k) => k !== undefined);
    docs.push({ from, to, kind, name });
  };
  lines.forEach((l, k) => {
    if (/^---(?:\s|$)/.test(l)) {
      if (k > from) close(k);
      from = k + 1;
    }
  });
  close(lines.length);
  return docs;
}
