/**
 * Projects the actual lines onto the recorded ones: every actual line that a recorded line (or pattern) accepts
 * is shown as the recorded line, and the runs a `...` spans disappear into it. What remains different is the real
 * difference. Diffs are drawn between the recorded text and this projection; `--update` writes the projection of
 * the raw lines, so author patterns and recorded values that still match survive a bless.
 */
import { diffArrays } from 'diff';
import { compileLine, type ActualLine } from './patterns.js';

type Op = { op: 'eq'; i: number; j: number } | { op: 'del'; i: number } | { op: 'add'; j: number };

function align(expected: readonly string[], actual: readonly ActualLine[]): Op[] {
  const matchers = expected.map(compileLine);
  const left = expected.map((_, i) => i);
  const right = actual.map((_, j) => j);
  const parts = diffArrays(left, right, { comparator: (i: number, j: number) => matchers[i]!.test(actual[j]!) });
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  for (const part of parts) {
    for (let k = 0; k < (part.count ?? part.value.length); k++) {
      if (part.added) ops.push({ op: 'add', j: j++ });
      else if (part.removed) ops.push({ op: 'del', i: i++ });
      else ops.push({ op: 'eq', i: i++, j: j++ });
    }
  }
  return ops;
}

/**
 * The projection: for each position, the recorded line where it still matches (`keep(i)`), the actual line
 * (`take(j)`) where it does not. Added lines next to a `...` are absorbed by it.
 */
export function project<T>(
  expected: readonly string[],
  actual: readonly ActualLine[],
  keep: (i: number) => T,
  take: (j: number) => T,
): T[] {
  const ops = align(expected, actual);
  const isEllipsis = (op: Op | undefined) => op !== undefined && op.op !== 'add' && compileLine(expected[op.i]!).ellipsis;
  const out: T[] = [];
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op.op === 'eq') out.push(keep(op.i));
    else if (op.op === 'del') {
      // A `...` that matched nothing still holds its place; a recorded line that matched nothing is gone.
      if (isEllipsis(op)) out.push(keep(op.i));
    } else {
      let before = k - 1;
      while (before >= 0 && ops[before]!.op === 'add') before--;
      let after = k + 1;
      while (after < ops.length && ops[after]!.op === 'add') after++;
      if (!isEllipsis(ops[before]) && !isEllipsis(ops[after])) out.push(take(op.j));
    }
  }
  return out;
}
