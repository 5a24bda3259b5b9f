/**
 * `--shard I/N`: a stable share of the files for CI matrices. A module of its own, imported only when the flag is
 * given: node:crypto costs ~3 ms of a start that otherwise never loads it.
 */
import { createHash } from 'node:crypto';

/** The files of shard `index` (1-based) of `total`: the same file lands in the same shard on every machine. */
export function shardOf(files: string[], index: number, total: number): string[] {
  return files.filter((f) => {
    const h = createHash('sha1').update(f).digest();
    return h.readUInt32BE(0) % total === index - 1;
  });
}
