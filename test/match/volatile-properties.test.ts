import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDiff, matchStep } from '../../src/match/index.js';
import { compareBody } from '../../src/match/curl.js';
import { VERSION_KEYS } from '../../src/match/json-compare.js';
import type { Step, StepKind } from '../../src/core/model.js';
import { stepOf } from './seed.js';

const RUNS = Number(process.env.PROP_RUNS ?? 400);
const printed = (text: string) => ({ stdout: text, stderr: '', exitCode: 0, screen: text });

// Values the rules do replace, so that the properties run with the rules busy around the mutated value.
const volatileString = fc.constantFrom(
  'ciep26qi8ufs73flaiqg', '83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5', '2023-06-29T14:05:04.46Z', '2022-10-10 08:40:20,849',
  'Wed Jun 14 17:27:04 2023', '172.18.255.1', 'iris-7d9f8c6b5-x2x9k', '5s', 'Time taken: 0.45 seconds', 'map[:iris_1::42]',
);
const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('version', 'pipelineVersion', 'uid', 'id', 'name', 'data'));
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  volatileString,
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.boolean(),
  fc.constant(null),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).value;

type Json = unknown;
type Path = (string | number)[];

/** Every path of a value to something that can be mutated, with the key that holds it. */
function paths(v: Json, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function setAt(v: Json, path: Path, next: (old: Json) => Json): Json {
  if (path.length === 0) return next(v);
  const [head, ...rest] = path;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? setAt(x, rest, next) : x));
  const o = v as Record<string, Json>;
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, k === head ? setAt(x, rest, next) : x]));
}

// A replacement string the rules cannot take for a volatile value: letters and spaces only (no digits, no dashes).
const stable = fc.stringMatching(/^[a-zA-Z ]{1,8}$/);

/** Mutations that change the JSON value: each must be seen, unless it only moves a version counter. */
const mutation = fc.oneof(
  stable.map((s) => ({ what: 'string', apply: (old: Json) => (old === s ? `${s}x` : s) })),
  fc.integer({ min: -1000, max: 1000 }).map((n) => ({ what: 'number', apply: (old: Json) => (old === n ? n + 1 : n) })),
  fc.constant({ what: 'type', apply: (old: Json) => (typeof old === 'string' ? 7 : 'seven') }),
  fc.constant({ what: 'null', apply: (old: Json) => (old === null ? false : null) }),
  stable.map((k) => ({
    what: 'field added',
    apply: (old: Json) => (old !== null && typeof old === 'object' && !Array.isArray(old) && !(k in old) ? { ...old, [k]: 1 } : [old]),
  })),
  fc.constant({ what: 'element added', apply: (old: Json) => (Array.isArray(old) ? [...old, 'x'] : [old]) }),
);

/** Go's protojson: a space, or none, after each `,` and `:` outside strings, at random. */
function protojsonSpacing(text: string, spaces: readonly boolean[]): string {
  let out = '';
  let inString = false;
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c;
    if (inString) {
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ((c === ',' || c === ':') && spaces[k++ % Math.max(1, spaces.length)]) out += ' ';
  }
  return out;
}


/** Whether each comparison `run` would make of this JSON (as a curl body, as one line, pretty) sees a difference. */
function judged(recorded: Json, rerun: Json, spacing: readonly boolean[]) {
  const bodies = compareBody(JSON.stringify(recorded), protojsonSpacing(JSON.stringify(rerun), spacing), () => false);
  const asJson = bodies.type === 'json' ? bodies.entries.length === 0 : bodies.result.ok;
  // One line: recorded in the opposite spacing of the re-run, so JSON_SPACING is always at work.
  const line = matchStep(stepOf('shell', protojsonSpacing(JSON.stringify(recorded), spacing.map((b) => !b))), printed(protojsonSpacing(JSON.stringify(rerun), spacing)), { splits: [] }).ok;
  const pretty = matchStep(stepOf('shell', JSON.stringify(recorded, null, 2)), printed(JSON.stringify(rerun, null, 2)), { splits: [] }).ok;
  return { asJson, asLine: line, pretty };
}

describe('no rule erases a difference in a JSON value other than the volatile field it names', () => {
  it('the same value in any spacing matches, as JSON, as one line and pretty-printed', () => {
    fc.assert(
      fc.property(json, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), (v, spacing) => {
        expect(judged(v, v, spacing)).toEqual({ asJson: true, asLine: true, pretty: true });
      }),
      { numRuns: RUNS },
    );
  });

  it('any other change of the value is seen by every comparison', () => {
    const cases = json.chain((v) => fc.record({ v: fc.constant(v), path: fc.constantFrom(...paths(v)), m: mutation, spacing: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }) }));
    fc.assert(
      fc.property(cases, ({ v, path, m, spacing }) => {
        const w = setAt(v, path, m.apply);
        fc.pre(JSON.stringify(w) !== JSON.stringify(v));
        const holder = path[path.length - 1];
        // The one difference a rule may erase: a counter under `version` / `pipelineVersion` that stays a counter.
        const old = path.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], v);
        const counter = (x: Json) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
        fc.pre(!(typeof holder === 'string' && VERSION_KEYS.has(holder) && counter(old) && counter(m.apply(old))));
        expect(judged(v, w, spacing)).toEqual({ asJson: false, asLine: false, pretty: false });
      }),
      { numRuns: RUNS },
    );
  });

  it('a field named like an inherited property (valueOf, constructor) is a field like any other', () => {
    // Found by the property above (seed 708753750): `k in object` saw Object.prototype's members.
    for (const k of ['valueOf', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(judged({ a: 1 }, { a: 1, [k]: 1 }, [false]).asJson).toBe(false);
      expect(judged({ a: 1, [k]: 1 }, { a: 1 }, [false]).asJson).toBe(false);
    }
  });

  it('a version counter that moved is forgiven, as JSON and as text', () => {
    const doc = (n: number, p: number) => ({ pipeline: { name: 'tfsimples', uid: 'ciep26qi8ufs73flaiqg', version: n }, state: { pipelineVersion: p, status: 'PipelineReady' } });
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.array(fc.boolean(), { minLength: 1 }), (a, b, c, d, spacing) => {
        expect(judged(doc(a, b), doc(c, d), spacing)).toEqual({ asJson: true, asLine: true, pretty: true });
      }),
      { numRuns: 100 },
    );
  });
});

describe('a recorded output always matches itself', () => {
  // Bytes a terminal and a notebook put in outputs: any character, and CRs alone, doubled, before LF.
  const chunk = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\r', '\n', '\r\n', '\r\r\n', '\r\r', ' ', '* ', '< ', '{', '"', ']'));
  const bytes = fc.array(chunk, { maxLength: 30 }).map((c) => c.join(''));
  const kinds: StepKind[] = ['build', 'apply', 'wait', 'delete', 'curl', 'grpcurl', 'capture', 'shell'];

  it.each(kinds)('%s', (kind) => {
    fc.assert(
      fc.property(bytes, (t) => {
        const s: Step = stepOf(kind, t);
        for (const actual of [t, t.replace(/\r*\n/g, '\r\r\n'), t.replace(/\r+\n/g, '\n')]) {
          const r = matchStep(s, kind === 'curl' ? printed(actual) : { stdout: actual, stderr: '', exitCode: 0 }, { splits: [] });
          expect(r.diff ? formatDiff(r.diff, { color: false }) : '').toBe('');
        }
      }),
      { numRuns: RUNS },
    );
  });
});
