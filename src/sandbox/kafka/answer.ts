/** One request's answer, by API key and version (loaded with the listener's first request). */
import { API_KEYS, apiVersions, ERRORS, fetch, fetchIsEmpty, listOffsets, metadata, readFetch, supports, type BrokerState } from './apis.js';
import type { WireReader } from './wire.js';

/** A Fetch that finds nothing new waits for a message at most this long, whatever max_wait_ms says. */
const MAX_FETCH_WAIT_MS = 5_000;
const FETCH_POLL_MS = 20;

export interface Header {
  apiKey: number;
  version: number;
  correlationId: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The answer to one request, or undefined when the connection is to be closed. */
export async function answer(header: Header, body: WireReader, state: BrokerState, closing: () => boolean): Promise<{ flexible: boolean; body: Buffer } | undefined> {
  const { apiKey, version } = header;
  if (apiKey === API_KEYS.apiVersions) {
    // Its response header is never flexible, so that any client can read the versions before it knows them.
    return supports(apiKey, version) ? { flexible: false, body: apiVersions(3) } : { flexible: false, body: apiVersions(0, ERRORS.unsupportedVersion) };
  }
  if (!supports(apiKey, version)) return undefined;
  body.nullableString();
  body.taggedFields();
  switch (apiKey) {
    case API_KEYS.metadata:
      return { flexible: true, body: metadata(body, state) };
    case API_KEYS.listOffsets:
      return { flexible: true, body: listOffsets(body, state) };
    case API_KEYS.fetch: {
      const request = readFetch(body);
      const until = Date.now() + Math.min(request.maxWaitMs, MAX_FETCH_WAIT_MS);
      while (request.minBytes > 0 && Date.now() < until && !closing() && fetchIsEmpty(request, state)) await sleep(FETCH_POLL_MS);
      return { flexible: true, body: fetch(request, state) };
    }
  }
  return undefined;
}

