/**
 * Whether a chunk's code cache entry was used, rejected by V8 (compiled anew, rewritten) or not there yet; or that
 * the chunk came from the command's pack.
 */
export type CacheOutcome = 'used' | 'rejected' | 'missing' | 'packed';
export function cacheFolder(env?: Record<string, string | undefined>): string;
export function codeCacheLoader(
  dist: string,
  options?: { folder?: string; flushOnExit?: boolean; pack?: string },
): {
  load(name: string): Record<string, unknown>;
  flush(): void;
  /** From now on, chunks come from and go to a further pack, named by `name` ([a-z0-9,+-], up to 200 characters). */
  phase(name: string): void;
  stats: Record<string, CacheOutcome>;
};
