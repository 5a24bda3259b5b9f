/**
 * Waiting on one object like kubectl's `UntilWithSync` with a `metadata.name` field selector: LIST, then WATCH from
 * the list's resourceVersion, re-watching from the last seen version when the server ends the stream and
 * re-listing on 410 Expired, so no transition is missed. Never polls.
 */
import { ApiError } from '../core/api-status.js';
import { sleep, type KubeClient, type WatchEvent } from './rest.js';

export type KubeObj = Record<string, unknown> & { metadata?: { name?: string; resourceVersion?: string; generation?: number; uid?: string } };

/** What the watcher decides after each look at the object (`undefined` = absent). */
export type Verdict<T> = { done: true; value: T } | { done: false };

export interface UntilOptions<T> {
  /** Called with the object at list time and after every event; absent objects are `undefined`. */
  check(object: KubeObj | undefined, source: 'list' | 'event'): Verdict<T>;
  /** Aborting ends the wait; the promise then rejects with the signal's reason. */
  signal: AbortSignal;
  /** Server-side watch timeout per request, in seconds (kubectl sends one too). */
  timeoutSeconds?: number;
  /** The last object seen, for diagnostics after a timeout. */
  onObject?(object: KubeObj | undefined): void;
  /** Each (re)start: `list` at the beginning and after 410 Expired, `watch` for every watch request. */
  onRequest?(kind: 'list' | 'watch'): void;
}

/** Resolves with the first verdict that is done. */
export async function untilObject<T>(client: KubeClient, collection: string, name: string, options: UntilOptions<T>): Promise<T> {
  const fieldSelector = `metadata.name=${name}`;
  const { signal } = options;
  for (let relists = 0; ; relists++) {
    signal.throwIfAborted();
    options.onRequest?.('list');
    const list = (await client.requestOk('GET', collection, {
      query: { fieldSelector, limit: 500, resourceVersion: '0' },
      signal,
      retry: true,
    })) as { items?: KubeObj[]; metadata?: { resourceVersion?: string } };
    const found = list.items?.find((o) => o.metadata?.name === name);
    options.onObject?.(found);
    const first = options.check(found, 'list');
    if (first.done) return first.value;
    let rv = list.metadata?.resourceVersion ?? '';
    const state: { result: Verdict<T>; failure?: { error: unknown } } = { result: { done: false } };
    let expired = false;
    let failures = 0;
    while (!state.result.done && !expired && !state.failure) {
      signal.throwIfAborted();
      const stop = new AbortController();
      options.onRequest?.('watch');
      const onAbort = () => stop.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await client.watch(
          collection,
          {
            allowWatchBookmarks: true,
            fieldSelector,
            resourceVersion: rv,
            timeoutSeconds: options.timeoutSeconds ?? 300,
            watch: true,
          },
          (event: WatchEvent) => {
            if (state.result.done || expired || state.failure) return;
            const object = event.object as KubeObj;
            if (event.type === 'ERROR') {
              if ((object as { code?: number }).code === 410) expired = true;
              if (expired) stop.abort();
              return;
            }
            if (object.metadata?.resourceVersion) rv = object.metadata.resourceVersion;
            if (event.type === 'BOOKMARK') return;
            const current = event.type === 'DELETED' ? undefined : object;
            options.onObject?.(current);
            try {
              state.result = options.check(current, 'event');
            } catch (error) {
              // Thrown inside a stream handler: carry it out of the watch instead.
              state.failure = { error };
            }
            if (state.result.done || state.failure) stop.abort();
          },
          stop.signal,
        );
        failures = 0;
      } catch (error) {
        if (state.result.done || state.failure) break;
        signal.throwIfAborted();
        if (error instanceof ApiError && error.code === 410) expired = true;
        else if (error instanceof ApiError && error.code !== 429 && error.code < 500) throw error;
        else if (!(error instanceof ApiError) && stop.signal.aborted) {
          // Aborted on purpose (done or expired): handled below.
        } else {
          // Throttled, a server error or a dropped connection: back off briefly and watch again from `rv`.
          await sleep(Math.min(1000, 20 * 2 ** failures++), signal);
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    if (state.failure) throw state.failure.error;
    if (state.result.done) return state.result.value;
    // 410 Expired: the version is too old to resume from; list again.
  }
}
