/**
 * Projects the actual lines onto the recorded ones: every actual line that a recorded line (or pattern) accepts
 * is shown as the recorded line, and the runs a `...` spans disappear into it. What remains different is the real
 * difference. Diffs are drawn between the recorded text and this projection; `--update` writes the projection of
 * the raw lines, so author patterns and recorded values that still match survive a bless.
 */
import { diffArrays } from 'diff';
import { compileLine, type ActualLine, type LineMatcher } from './patterns.js';

/**
 * Lines a kind's matcher treats as the same although their text differs (two `*` lines of a curl transcript, two
 * `created`/`unchanged` lines for one object). Given the recorded line (normalised) and an actual line.
 */
export type Equivalence = (recorded: string, actual: ActualLine) => boolean;

function withEquivalence(m: LineMatcher, same: Equivalence | undefined): LineMatcher {
  return same && !m.ellipsis ? { ...m, test: (a) => m.test(a) || same(m.text, a) } : m;
}

export type Op = { op: 'eq'; i: number; j: number } | { op: 'del'; i: number } | { op: 'add'; j: number } | { op: 'span'; i: number; j: number };

// Past this many cells the quadratic alignment costs too much; the diff package's Myers diff takes over.
const MAX_CELLS = 4_000_000;

/**
 * The cheapest alignment (fewest unmatched lines) where a recorded line matches an actual line it accepts and a
 * `...` spans any run of actual lines for free. Ties prefer a match, then removing before adding.
 */
function align(expected: readonly string[], actual: readonly ActualLine[], same?: Equivalence): Op[] {
  const n = expected.length;
  const m = actual.length;
  const matchers = expected.map((e) => withEquivalence(compileLine(e), same));
  if ((n + 1) * (m + 1) > MAX_CELLS) return alignLarge(matchers, actual);
  const w = m + 1;
  const cost = new Int32Array((n + 1) * w);
  const accepts = new Uint8Array(n * w);
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      const at = i * w + j;
      if (i === n) cost[at] = m - j;
      else if (matchers[i]!.ellipsis) cost[at] = Math.min(cost[at + w]!, j < m ? cost[at + 1]! : Infinity);
      else {
        let best = 1 + cost[at + w]!;
        if (j < m) {
          best = Math.min(best, 1 + cost[at + 1]!);
          if (matchers[i]!.test(actual[j]!)) {
            accepts[at] = 1;
            best = Math.min(best, cost[at + w + 1]!);
          }
        }
        cost[at] = best;
      }
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const at = i * w + j;
    if (i === n) ops.push({ op: 'add', j: j++ });
    else if (matchers[i]!.ellipsis) {
      if (j < m && cost[at] === cost[at + 1]) ops.push({ op: 'span', i, j: j++ });
      else ops.push({ op: 'del', i: i++ });
    } else if (j < m && accepts[at] && cost[at] === cost[at + w + 1]) ops.push({ op: 'eq', i: i++, j: j++ });
    else if (cost[at] === 1 + cost[at + w]!) ops.push({ op: 'del', i: i++ });
    else ops.push({ op: 'add', j: j++ });
  }
  return preferChanges(ops, matchers);
}

/**
 * A recorded line that matched nothing next to a `...` would otherwise vanish while the `...` swallows its new
 * version: `result 2` before `...` spanning `result 1`. Reads better (and blesses better) as a changed line, so the
 * nearest spanned lines are handed back as additions paired with those removals.
 */
function preferChanges(ops: Op[], matchers: readonly { ellipsis: boolean }[]): Op[] {
  const out = [...ops];
  for (let k = 0; k < out.length; k++) {
    const op = out[k]!;
    if (op.op !== 'del' || !matchers[op.i]!.ellipsis) continue;
    // Spans of this `...` end just before k; removals of ordinary lines follow it.
    let first = k;
    while (first > 0 && out[first - 1]!.op === 'span') first--;
    let last = k;
    while (last + 1 < out.length && out[last + 1]!.op === 'del' && !matchers[(out[last + 1] as { i: number }).i]!.ellipsis) last++;
    const pairs = Math.min(k - first, last - k);
    if (pairs === 0) continue;
    const handed = out.slice(k - pairs, k).map((o): Op => ({ op: 'add', j: (o as { j: number }).j }));
    const dels = out.slice(k, last + 1);
    out.splice(k - pairs, last + 1 - (k - pairs), ...dels, ...handed);
    k = k - pairs + dels.length + handed.length - 1;
  }
  return out;
}

function alignLarge(matchers: readonly LineMatcher[], actual: readonly ActualLine[]): Op[] {
  const parts = diffArrays(
    matchers.map((_, i) => i),
    actual.map((_, j) => j),
    { comparator: (i: number, j: number) => matchers[i]!.test(actual[j]!) },
  );
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  for (const part of parts) {
    for (let k = 0; k < part.value.length; k++) {
      if (part.added) ops.push({ op: 'add', j: j++ });
      else if (part.removed) ops.push({ op: 'del', i: i++ });
      else ops.push({ op: 'eq', i: i++, j: j++ });
    }
  }
  return ops;
}

/**
 * The projection: for each position, the recorded line where it still matches (`keep(i)`), the actual line
 * (`take(j)`) where it does not; a `...` appears once, whatever it spans.
 */
export function project<T>(
  expected: readonly string[],
  actual: readonly ActualLine[],
  keep: (i: number) => T,
  take: (j: number) => T,
  same?: Equivalence,
): T[] {
  const out: T[] = [];
  for (const op of align(expected, actual, same)) {
    if (op.op === 'eq') out.push(keep(op.i));
    else if (op.op === 'add') out.push(take(op.j));
    // A `...` is kept when it ends (its del); a recorded line that matched nothing is gone.
    else if (op.op === 'del' && compileLine(expected[op.i]!).ellipsis) out.push(keep(op.i));
  }
  return out;
}

/**
 * The index of the first recorded line that the alignment could not match (a removed line), or, when actual
 * lines come first, of the recorded line they would go before (the length when they go at the end).
 */
export function firstDifference(expected: readonly string[], actual: readonly ActualLine[], same?: Equivalence): number | undefined {
  const ops = align(expected, actual, same);
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op.op === 'del' && !compileLine(expected[op.i]!).ellipsis) return op.i;
    if (op.op === 'add') {
      const next = ops.slice(k + 1).find((o): o is Extract<Op, { i: number }> => o.op !== 'add');
      return next ? next.i : expected.length;
    }
  }
  return undefined;
}

/** The alignment itself, for `--update`'s merge: which recorded line each actual line matches, in order. */
export function alignment(expected: readonly string[], actual: readonly ActualLine[], same?: Equivalence): Op[] {
  return align(expected, actual, same);
}
