/** Seldon's join types on what has arrived: inner needs all, outer any number (taking all), any the earliest. */
import { describe, expect, it } from 'vitest';
import { joinRefs } from '../../../src/sandbox/dataplane/pipelines/dataflow.js';
import type { Tensor } from '../../../src/sandbox/dataplane/tensor.js';

const tensor = (name: string): Tensor => ({ name, datatype: 'FP32', shape: [1], data: [1] });
const arrived = new Map<string, { tensors: Tensor[]; seq: number }>([
  ['a', { tensors: [tensor('A')], seq: 2 }],
  ['b', { tensors: [tensor('B')], seq: 1 }],
]);
const present = (ref: string) => {
  const got = arrived.get(ref);
  return got ? { ref, ...got } : undefined;
};
const names = (joined: ReturnType<typeof joinRefs<string>>) => joined?.map((j) => j.ref);

describe('joins', () => {
  it('inner runs only when every reference is present', () => {
    expect(names(joinRefs(['a', 'b'], 'inner', present))).toEqual(['a', 'b']);
    expect(joinRefs(['a', 'c'], 'inner', present)).toBeUndefined();
  });

  it('outer runs with whatever is present, and not with nothing', () => {
    expect(names(joinRefs(['a', 'c'], 'outer', present))).toEqual(['a']);
    expect(joinRefs(['c', 'd'], 'outer', present)).toBeUndefined();
  });

  it('any takes the first to arrive', () => {
    expect(names(joinRefs(['a', 'b'], 'any', present))).toEqual(['b']);
    expect(names(joinRefs(['c', 'a'], 'any', present))).toEqual(['a']);
    expect(joinRefs(['c'], 'any', present)).toBeUndefined();
  });
});
