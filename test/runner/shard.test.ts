/**
 * --shard I/N: every file lands in exactly one shard, the same one whatever else is in the list, so a CI matrix
 * runs each runbook once.
 */
import { describe, expect, it } from 'vitest';
import { shardOf } from '../../src/runner/shard.js';

const files = Array.from({ length: 40 }, (_, i) => `docs/page-${i}.md`);

describe('shardOf', () => {
  it('puts every file in exactly one of N shards, none of them empty for 40 files in 3', () => {
    const shards = [1, 2, 3].map((i) => shardOf(files, i, 3));
    expect(shards.flat().sort()).toEqual([...files].sort());
    expect(shards.every((s) => s.length > 0)).toBe(true);
  });

  it("keeps a file's shard when other files come and go, and keeps the list's order", () => {
    const all = shardOf(files, 2, 3);
    const some = shardOf(files.slice(10), 2, 3);
    expect(some).toEqual(all.filter((f) => files.slice(10).includes(f)));
    expect(all).toEqual(files.filter((f) => all.includes(f)));
  });

  it('is the whole list for one shard', () => {
    expect(shardOf(files, 1, 1)).toEqual(files);
  });
});
