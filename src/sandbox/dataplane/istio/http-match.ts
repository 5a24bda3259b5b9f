/**
 * One HTTPMatchRequest of a VirtualService rule, compiled. Istio turns each match block into an Envoy route of
 * its own, so the block that matched also decides how `rewrite.uri` replaces the path (its prefix, or the whole
 * path for exact and regex matches).
 */
import { compileStringMatch, type Matcher } from '../string-match.js';

/** What a match needs of a request; header names are lowercase. */
export interface MatchRequest {
  method: string;
  /** Host or :authority, port included. */
  authority: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** How the matched block matched the path: what a `rewrite.uri` replaces. */
export type UriMatch = { kind: 'prefix'; prefix: string; ignoreCase: boolean } | { kind: 'whole' };

export interface CompiledMatch {
  /** `query` parses the query string on first use (most routes never look at it). */
  test(request: MatchRequest, uri: string, query: () => ReadonlyMap<string, string>): boolean;
  uri: UriMatch;
}

/** The ingress listens on port 80 for plain HTTP only, so these are what `port` and `scheme` can match. */
const INGRESS_PORT = 80;
const INGRESS_SCHEME = 'http';

type Condition = (request: MatchRequest, uri: string, query: () => ReadonlyMap<string, string>) => boolean;

/** A match block with no conditions: Istio's catch-all (prefix `/`). */
export const MATCH_ALL: CompiledMatch = { test: () => true, uri: { kind: 'prefix', prefix: '/', ignoreCase: false } };

export function compileMatch(spec: unknown): CompiledMatch {
  const match = (spec ?? {}) as {
    uri?: { exact?: unknown; prefix?: unknown; regex?: unknown };
    ignoreUriCase?: unknown;
    method?: unknown;
    authority?: unknown;
    scheme?: unknown;
    port?: unknown;
    headers?: unknown;
    withoutHeaders?: unknown;
    queryParams?: unknown;
  };
  const conditions: Condition[] = [];
  const ignoreCase = match.ignoreUriCase === true;
  let uri: UriMatch = { kind: 'prefix', prefix: '/', ignoreCase: false };
  if (match.uri) {
    // Envoy's ignore_case covers exact and prefix paths only; a regex stays case-sensitive.
    const matches = compileStringMatch(match.uri, { ignoreCase });
    conditions.push((_request, path) => matches(path));
    uri = typeof match.uri.prefix === 'string' ? { kind: 'prefix', prefix: match.uri.prefix, ignoreCase } : { kind: 'whole' };
  }
  if (match.method) {
    const matches = compileStringMatch(match.method);
    conditions.push((request) => matches(request.method));
  }
  if (match.authority) {
    const matches = compileStringMatch(match.authority);
    conditions.push((request) => matches(request.authority));
  }
  if (match.scheme) {
    const matches = compileStringMatch(match.scheme);
    conditions.push(() => matches(INGRESS_SCHEME));
  }
  if (typeof match.port === 'number' && match.port !== INGRESS_PORT) conditions.push(() => false);
  for (const [name, matches] of headerMatchers(match.headers)) conditions.push((request) => matches(headerValue(request.headers[name])));
  // withoutHeaders: a request whose header matches any of these is not matched (Envoy's invert_match).
  for (const [name, matches] of headerMatchers(match.withoutHeaders)) conditions.push((request) => !matches(headerValue(request.headers[name])));
  for (const [name, matches] of headerMatchers(match.queryParams, false)) conditions.push((_request, _uri, query) => matches(query().get(name)));
  return { test: (request, path, query) => conditions.every((condition) => condition(request, path, query)), uri };
}

function headerMatchers(spec: unknown, lowercase = true): Array<[string, Matcher]> {
  return Object.entries((spec ?? {}) as Record<string, unknown>).map(([name, value]) => [lowercase ? name.toLowerCase() : name, compileStringMatch(value)]);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** The query string's parameters, decoded, first value of each (as Envoy's query parameter matcher reads them). */
export function parseQuery(path: string): Map<string, string> {
  const params = new Map<string, string>();
  const start = path.indexOf('?');
  if (start < 0) return params;
  for (const [key, value] of new URLSearchParams(path.slice(start + 1))) if (!params.has(key)) params.set(key, value);
  return params;
}
