/** Whether a chunk's code cache entry was used, rejected by V8 (compiled anew, rewritten) or not there yet. */
export type CacheOutcome = 'used' | 'rejected' | 'missing';
export function cacheFolder(env?: Record<string, string | undefined>): string;
export function codeCacheLoader(
  dist: string,
  options?: { folder?: string; flushOnExit?: boolean },
): { load(name: string): Record<string, unknown>; flush(): void; stats: Record<string, CacheOutcome> };
