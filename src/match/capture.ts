/**
 * capture: the displayed value (a load balancer's address, a generated name) belongs to the environment it was
 * recorded in. It must be present and of the same shape (an IP for an IP, a quoted string for a quoted string),
 * never equal.
 */
import type { MatchResult } from './types.js';
import { normalise } from './normalise.js';

export type ValueShape = 'empty' | 'ipv4' | 'ipv6' | 'number' | 'hostname' | 'text';

/** How IPython displays a value: a quoted string, a list of strings, or anything else as printed. */
export interface Displayed {
  form: 'string' | 'list' | 'plain';
  values: string[];
}

const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

export function parseDisplayed(text: string): Displayed {
  const t = text.trim();
  if (/^(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")$/.test(t)) return { form: 'string', values: [unquote(t)] };
  if (/^\[.*\]$/s.test(t)) {
    const inner = t.slice(1, -1);
    const values = [...inner.matchAll(QUOTED)].map((m) => unquote(m[0]));
    if (inner.replace(QUOTED, '').replace(/[\s,]/g, '') === '') return { form: 'list', values };
  }
  return { form: 'plain', values: t === '' ? [] : [t] };
}

function unquote(q: string): string {
  return q.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

export function shapeOf(value: string): ValueShape {
  const v = value.trim();
  if (v === '') return 'empty';
  if (/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v)) return 'ipv4';
  if (/^[0-9a-fA-F:]+$/.test(v) && v.includes(':') && /^(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}$/.test(v)) return 'ipv6';
  if (/^-?\d+(?:\.\d+)?$/.test(v)) return 'number';
  if (/^(?=.*[a-z])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(v)) return 'hostname';
  return 'text';
}

export function compareCapture(expected: string, actual: string): MatchResult {
  const e = parseDisplayed(expected);
  const a = parseDisplayed(actual);
  const expectedNormalised = normalise(expected);
  const actualNormalised = normalise(actual);
  const describe = (d: Displayed) =>
    `${d.form === 'list' ? 'a list of ' : d.form === 'string' ? 'a quoted ' : ''}${[...new Set(d.values.map(shapeOf))].join('/') || 'nothing'}`;
  const eShapes = new Set(e.values.map(shapeOf));
  const sameForm = e.form === a.form;
  const present = !e.values.some((v) => v.trim() !== '') || a.values.some((v) => v.trim() !== '');
  const sameShape = a.values.every((v) => eShapes.has(shapeOf(v))) || e.values.length === 0;
  const ok = sameForm && present && sameShape;
  if (ok) return { ok, expectedNormalised, actualNormalised };
  return {
    ok,
    expectedNormalised,
    actualNormalised,
    diff: { type: 'paths', entries: [{ path: 'value', expected: describe(e), actual: `${describe(a)} (${JSON.stringify(actual.trim())})` }] },
    // The value's line: the first that is not blank.
    firstDifferingLine: Math.max(0, expected.split('\n').findIndex((l) => l.trim() !== '')),
  };
}
