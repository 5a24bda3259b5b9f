/**
 * The ingress gateway's route table: Gateways and the VirtualServices bound to them, compiled when the cluster
 * changes into Envoy's shape (virtual hosts by domain, each with ordered routes) so that a request only walks
 * precompiled predicates.
 *
 * Virtual hosts, as Istio builds them for a gateway: each VirtualService host (narrowed to the Gateway server's
 * host when that is the more specific) is one domain; VirtualServices naming the same domain are merged, oldest
 * first. Envoy then picks one virtual host per request by the most specific domain: the exact name, then the
 * longest `*.suffix` wildcard, then `*` (Envoy's VirtualHost domain search order). A Host with a port matches
 * as without it, as Istio's `host:*` domains make it. Once a virtual host is chosen, a request that none of its
 * routes match is a 404: Envoy never falls back to a less specific virtual host.
 */
import type { KubeObject } from '../types.js';
import type { HeaderOps } from './header-ops.js';
import { parseQuery, type MatchRequest } from './istio/http-match.js';
import { compileRoute, DEFAULT_RETRIES, type CompiledRoute, type Destination, type Fault, type RetryPolicy, type Upstream } from './istio/http-route.js';
import { compileHost, hostPart } from './string-match.js';

export type { Upstream } from './istio/http-route.js';

/** What the router needs of a request; header names are lowercase. */
export interface RouteRequest extends MatchRequest {
  /** The request target, query included. */
  path: string;
}

/** What the ingress does with a request, decided by its route. */
export type RouteDecision =
  | { kind: 'no-route' }
  | {
      kind: 'route';
      upstream: Upstream;
      requestOps: HeaderOps[];
      responseOps: HeaderOps[];
      /** The request target after `rewrite` (query kept). */
      path: string;
      /** The Host after `rewrite.authority`, when rewritten. */
      authority?: string;
      fault?: Fault;
      timeoutMs?: number;
      retries: RetryPolicy;
      /** Gets a copy of the request; its answer is dropped. */
      mirror?: Upstream;
    }
  | { kind: 'redirect'; status: number; location: string; responseOps: HeaderOps[]; fault?: Fault }
  | { kind: 'direct'; status: number; body: string; responseOps: HeaderOps[]; fault?: Fault };

/** The labels of the emulated ingress gateway pod, which Gateway selectors must match. */
export const INGRESS_LABELS: Readonly<Record<string, string>> = { app: 'istio-ingressgateway', istio: 'ingressgateway' };

/** `seldon-mesh`, `seldon-mesh.NS`, `seldon-mesh.NS.svc`, `seldon-mesh.NS.svc.cluster.local`: each namespace has its own mesh. */
const MESH_HOST = /^seldon-mesh(?:\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.svc(?:\.cluster\.local)?)?)?$/;

/** The namespace of the seldon-mesh Service a host names, relative to `namespace`; undefined for other hosts. */
export function meshNamespace(host: string, namespace: string): string | undefined {
  const match = MESH_HOST.exec(host.toLowerCase());
  return match ? (match[1] ?? namespace) : undefined;
}
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);
const INGRESS_PORT = 80;

interface VirtualHost {
  domain: string;
  routes: CompiledRoute[];
  /** Built from a Gateway server with `tls.httpsRedirect`: Envoy's `require_tls`, every request a 301 to https. */
  httpsRedirect: boolean;
}

/** A host a Gateway server admits on port 80, and whether that server redirects to https. */
interface ServerHost {
  host: string;
  httpsRedirect: boolean;
}

/** What the ingress asks of its routes. */
export interface Router {
  route(request: RouteRequest, random: () => number): RouteDecision;
}

/**
 * The seldon-mesh Service's own listener: everything goes to the mesh unchanged. In Seldon each namespace has its
 * own seldon-mesh; here one listener serves them all, choosing by the Host (or :authority) when it names a
 * seldon-mesh Service (`seldon-mesh.NS[.svc…]`), else the namespace `defaultNamespace`.
 */
export function meshRouter(defaultNamespace: string): Router {
  return {
    route: (request) => ({
      kind: 'route',
      upstream: { kind: 'mesh', namespace: meshNamespace(hostOf(request.authority), defaultNamespace) ?? defaultNamespace },
      requestOps: [],
      responseOps: [],
      path: request.path,
      retries: { ...DEFAULT_RETRIES, attempts: 0 },
    }),
  };
}

export class RouteTable implements Router {
  readonly #exact: Map<string, VirtualHost>;
  /** `*.suffix` hosts, longest first, each with its matcher. */
  readonly #wildcards: Array<[(host: string) => boolean, VirtualHost]>;
  readonly #any: VirtualHost | undefined;

  constructor(hosts: VirtualHost[]) {
    this.#exact = new Map(hosts.filter((h) => !h.domain.startsWith('*')).map((h) => [h.domain, h]));
    this.#wildcards = hosts
      .filter((h) => h.domain.startsWith('*') && h.domain !== '*')
      .sort((a, b) => b.domain.length - a.domain.length)
      .map((h) => [compileHost(h.domain), h]);
    this.#any = hosts.find((h) => h.domain === '*');
  }

  /** An empty table: every request is a 404. */
  static empty(): RouteTable {
    return new RouteTable([]);
  }

  /** Builds the table from the current Gateways and VirtualServices (any served version). */
  static compile(gateways: KubeObject[], virtualServices: KubeObject[]): RouteTable {
    const bound = new Map<string, ServerHost[]>();
    for (const gateway of gateways) {
      const hosts = gatewayHosts(gateway);
      if (hosts) bound.set(`${gateway.metadata.namespace ?? 'default'}/${gateway.metadata.name}`, hosts);
    }
    // Istio merges the routes of several VirtualServices for one host oldest first.
    const ordered = [...virtualServices].sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    const hosts = new Map<string, VirtualHost>();
    for (const vs of ordered) {
      const spec = (vs.spec ?? {}) as { gateways?: unknown; hosts?: unknown; http?: unknown };
      const namespace = vs.metadata.namespace ?? 'default';
      const serverHosts: ServerHost[] = [];
      for (const ref of strings(spec.gateways)) serverHosts.push(...(bound.get(ref.includes('/') ? ref : `${namespace}/${ref}`) ?? []));
      const domains = new Map<string, boolean>();
      for (const host of strings(spec.hosts).map(hostPart)) {
        for (const server of serverHosts) {
          const domain = narrower(host, server.host);
          if (domain) domains.set(domain, (domains.get(domain) ?? false) || server.httpsRedirect);
        }
      }
      if (domains.size === 0) continue;
      const resolve = (name: string): Upstream => {
        const mesh = meshNamespace(name, namespace);
        return mesh ? { kind: 'mesh', namespace: mesh } : { kind: 'service', host: name };
      };
      const routes = (Array.isArray(spec.http) ? spec.http : []).map((rule) => compileRoute(rule, resolve));
      for (const [domain, httpsRedirect] of domains) {
        const host = hosts.get(domain) ?? { domain, routes: [], httpsRedirect };
        host.routes.push(...routes);
        hosts.set(domain, host);
      }
    }
    return new RouteTable([...hosts.values()]);
  }

  /** The virtual host of the most specific domain, then its first matching route; `random` picks by weight and share. */
  route(request: RouteRequest, random: () => number): RouteDecision {
    const host = this.#virtualHost(hostOf(request.authority));
    if (!host) return { kind: 'no-route' };
    if (host.httpsRedirect) return { kind: 'redirect', status: 301, location: `https://${withoutPort(request.authority)}${request.path}`, responseOps: [] };
    const query = request.path.indexOf('?');
    const uri = query < 0 ? request.path : request.path.slice(0, query);
    let parsed: Map<string, string> | undefined;
    const params = (): Map<string, string> => (parsed ??= parseQuery(request.path));
    for (const route of host.routes) {
      const matched = route.matches.find((match) => match.test(request, uri, params));
      if (matched) return decide(route, matched.uri, request, uri, random);
    }
    return { kind: 'no-route' };
  }

  #virtualHost(host: string): VirtualHost | undefined {
    return this.#exact.get(host) ?? this.#wildcards.find(([matches]) => matches(host))?.[1] ?? this.#any;
  }
}

function decide(route: CompiledRoute, uriMatch: CompiledRoute['matches'][number]['uri'], request: RouteRequest, uri: string, random: () => number): RouteDecision {
  const { action, fault } = route;
  const query = request.path.slice(uri.length);
  switch (action.kind) {
    case 'direct':
      return { kind: 'direct', status: action.status, body: action.body, responseOps: route.responseOps, fault };
    case 'redirect':
      return { kind: 'redirect', status: action.status, location: location(action, request, uri, query), responseOps: route.responseOps, fault };
    case 'forward': {
      const destination = pick(action.destinations, action.totalWeight, random);
      if (!destination) return { kind: 'no-route' };
      let path = request.path;
      if (action.rewrite?.uri !== undefined) {
        path = (uriMatch.kind === 'prefix' ? action.rewrite.uri + uri.slice(uriMatch.prefix.length) : action.rewrite.uri) + query;
      } else if (action.rewrite?.uriRegex) {
        path = uri.replace(action.rewrite.uriRegex.pattern, action.rewrite.uriRegex.replacement) + query;
      }
      const mirror = action.mirror && random() * 100 < action.mirror.percent ? action.mirror.upstream : undefined;
      return {
        kind: 'route',
        upstream: destination.upstream,
        // Route-level operations first, then the destination's, so the destination's `set` wins.
        requestOps: [...route.requestOps, ...destination.requestOps],
        responseOps: [...route.responseOps, ...destination.responseOps],
        path,
        ...(action.rewrite?.authority ? { authority: action.rewrite.authority } : {}),
        fault,
        timeoutMs: action.timeoutMs,
        retries: action.retries,
        ...(mirror ? { mirror } : {}),
      };
    }
  }
}

/**
 * Envoy's redirect target, always absolute: the scheme, the authority (the request's unless replaced; a changed
 * scheme without a port drops the request's port), and the path (replaced whole by `uri`), keeping the query
 * unless the new path carries one.
 */
function location(action: Extract<CompiledRoute['action'], { kind: 'redirect' }>, request: RouteRequest, uri: string, query: string): string {
  let authority = action.authority ?? request.authority;
  const bare = withoutPort(authority);
  if (action.port !== undefined) authority = `${bare}:${action.port}`;
  else if (action.scheme !== undefined && action.scheme !== 'http') authority = bare;
  const path = action.uri ?? uri;
  return `${action.scheme ?? 'http'}://${authority}${path}${path.includes('?') ? '' : query}`;
}

/** The domain of the virtual host a VirtualService host and a Gateway server host make, or undefined when they do not meet. */
function narrower(vsHost: string, serverHost: string): string | undefined {
  if (compileHost(serverHost)(vsHost) || vsHost === serverHost) return vsHost;
  if (compileHost(vsHost)(serverHost)) return serverHost;
  return undefined;
}

/** The hosts a Gateway admits on the ingress's plain-text port 80, or undefined when it does not apply here. */
function gatewayHosts(gateway: KubeObject): ServerHost[] | undefined {
  const spec = (gateway.spec ?? {}) as { selector?: unknown; servers?: unknown };
  const selector = (spec.selector ?? {}) as Record<string, unknown>;
  if (Object.entries(selector).some(([key, value]) => INGRESS_LABELS[key] !== value)) return undefined;
  const hosts: ServerHost[] = [];
  for (const server of Array.isArray(spec.servers) ? spec.servers : []) {
    const { port, hosts: serverHosts, tls } = (server ?? {}) as { port?: { number?: unknown; protocol?: unknown }; hosts?: unknown; tls?: { httpsRedirect?: unknown } };
    if (port?.number !== INGRESS_PORT || !HTTP_PROTOCOLS.has(String(port.protocol ?? '').toUpperCase())) continue;
    const httpsRedirect = tls?.httpsRedirect === true;
    hosts.push(...strings(serverHosts).map((host) => ({ host: hostPart(host), httpsRedirect })));
  }
  return hosts.length > 0 ? hosts : undefined;
}

function pick(destinations: Destination[], totalWeight: number, random: () => number): Destination | undefined {
  if (totalWeight <= 0) return undefined;
  let point = random() * totalWeight;
  for (const destination of destinations) {
    if (destination.weight <= 0) continue;
    point -= destination.weight;
    if (point < 0) return destination;
  }
  return destinations.findLast((d) => d.weight > 0);
}

/** An authority without its port, as written. */
function withoutPort(authority: string): string {
  return authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : (authority.split(':')[0] ?? authority);
}

/** The Host without its port, lowercase. */
export function hostOf(authority: string): string {
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0];
  return (host ?? '').toLowerCase();
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
