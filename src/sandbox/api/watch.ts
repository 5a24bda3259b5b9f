/**
 * WATCH: a chunked stream of newline-delimited `{"type", "object"}` events for one kind, optionally one
 * namespace and a selector. Without a resourceVersion (or with "0") the stream starts with the current objects
 * as ADDED; with resourceVersion X it replays the retained changes after X (410 Expired when they are gone).
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../types.js';
import { ApiError } from '../../core/api-status.js';
import { apiVersionOf } from '../store/resource-types.js';
import { selectorFor } from '../store/selectors.js';
import type { Store, StoreEvent } from '../store/store.js';
import { typeKeyOf } from '../store/store.js';
import { present } from './handlers.js';
import type { ResourceRoute } from './routes.js';

export interface WatchOptions {
  /** Fault injection: end every watch after this many ms. */
  dropAfterMs?: number;
  /** How often to send a BOOKMARK when the client allows them. */
  bookmarkIntervalMs: number;
  /** What each event's object becomes on the wire (a one-row Table for kubectl's human output); as is when absent. */
  transform?: (eventType: EventType, object: unknown) => unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function serveWatch(res: ServerResponse, store: Store, route: ResourceRoute, query: URLSearchParams, options: WatchOptions): void {
  const { type, version, namespace } = route;
  const select = selectorFor(query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
  const inScope = (o: KubeObject) => (namespace === undefined || o.metadata.namespace === namespace) && select(o);
  const typeKey = typeKeyOf(type.group, type.kind);
  const resourceVersion = query.get('resourceVersion') ?? '';
  const backlog = resourceVersion === '' || resourceVersion === '0' ? undefined : store.since(resourceVersion);

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  // Without this the client sees no headers until the first event, and kubectl's reflector stalls.
  res.flushHeaders();
  const write = (eventType: EventType, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type: eventType, object: options.transform ? options.transform(eventType, object) : object })}\n`);
  };

  if (backlog === 'expired') {
    const expired = ApiError.of('Expired', `too old resource version: ${resourceVersion} (${store.oldestResumable})`);
    write('ERROR', expired.toStatus());
    res.end();
    return;
  }

  const emit = (event: StoreEvent) => {
    if (event.typeKey !== typeKey) return;
    const now = inScope(event.object);
    const before = event.old ? inScope(event.old) : now;
    let eventType: EventType | undefined;
    if (event.type !== 'MODIFIED') eventType = now ? event.type : undefined;
    else if (now) eventType = before ? 'MODIFIED' : 'ADDED';
    else if (before) eventType = 'DELETED';
    if (eventType) write(eventType, present(type, version, event.object));
  };

  if (backlog === undefined) {
    for (const object of store.select(type, namespace).filter(select)) write('ADDED', present(type, version, object));
  } else {
    for (const event of backlog) emit(event);
  }
  // Subscribing in the same synchronous turn as the replay means no change falls between the two.
  const unsubscribe = store.onChange(emit);

  const timers: NodeJS.Timeout[] = [];
  const end = () => res.end();
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  if (timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
  if (options.dropAfterMs !== undefined) timers.push(setTimeout(end, options.dropAfterMs));
  if (query.get('allowWatchBookmarks') === 'true') {
    const bookmark = () =>
      write('BOOKMARK', { kind: type.kind, apiVersion: apiVersionOf(type.group, version), metadata: { resourceVersion: store.resourceVersion } });
    timers.push(setInterval(bookmark, options.bookmarkIntervalMs));
  }
  // The response's close, not the request's: a GET request closes as soon as its empty body is read.
  res.on('close', () => {
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
  });
}
