/**
 * The ingress gateway's route table: Gateways and the VirtualServices bound to them, compiled when the cluster
 * changes so that a request only walks precompiled predicates.
 */
import type { KubeObject } from '../types.js';
import { compileHeaderOps, type HeaderOps } from './header-ops.js';
import { compileHost, compileStringMatch } from './string-match.js';

/** What the router needs of a request; header names are lowercase. */
export interface RouteRequest {
  method: string;
  /** The request target, query included. */
  path: string;
  /** Host or :authority, port included. */
  authority: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Where a request goes: `mesh` is Seldon's Envoy (the seldon-mesh Service of `namespace`), any other host has no endpoints here. */
export type Upstream = { kind: 'mesh'; namespace: string } | { kind: 'service'; host: string };

export type RouteDecision =
  | { kind: 'no-route' }
  | { kind: 'route'; upstream: Upstream; requestOps: HeaderOps[]; responseOps: HeaderOps[] };

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

interface CompiledDestination {
  upstream: Upstream;
  weight: number;
  requestOps: HeaderOps[];
  responseOps: HeaderOps[];
}

interface CompiledRule {
  matches: Array<(request: RouteRequest, uri: string) => boolean>;
  destinations: CompiledDestination[];
  totalWeight: number;
}

interface CompiledVirtualService {
  hosts: Array<(host: string) => boolean>;
  gatewayHosts: Array<(host: string) => boolean>;
  rules: CompiledRule[];
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
    }),
  };
}

export class RouteTable implements Router {
  constructor(private readonly services: CompiledVirtualService[]) {}

  /** An empty table: every request is a 404. */
  static empty(): RouteTable {
    return new RouteTable([]);
  }

  /** Builds the table from the current Gateways and VirtualServices (any served version). */
  static compile(gateways: KubeObject[], virtualServices: KubeObject[]): RouteTable {
    const bound = new Map<string, Array<(host: string) => boolean>>();
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
    const services: CompiledVirtualService[] = [];
    for (const vs of ordered) {
      const spec = (vs.spec ?? {}) as { gateways?: unknown; hosts?: unknown; http?: unknown };
      const namespace = vs.metadata.namespace ?? 'default';
      const gatewayHostMatchers: Array<(host: string) => boolean> = [];
      for (const ref of strings(spec.gateways)) {
        const key = ref.includes('/') ? ref : `${namespace}/${ref}`;
        gatewayHostMatchers.push(...(bound.get(key) ?? []));
      }
      if (gatewayHostMatchers.length === 0) continue;
      services.push({
        hosts: strings(spec.hosts).map(compileHost),
        gatewayHosts: gatewayHostMatchers,
        rules: (Array.isArray(spec.http) ? spec.http : []).map((rule) => compileRule(rule, namespace)),
      });
    }
    return new RouteTable(services);
  }

  /** First matching rule of the first VirtualService whose hosts take the request; `random` picks by weight. */
  route(request: RouteRequest, random: () => number): RouteDecision {
    const host = hostOf(request.authority);
    const query = request.path.indexOf('?');
    const uri = query < 0 ? request.path : request.path.slice(0, query);
    for (const service of this.services) {
      if (!service.hosts.some((match) => match(host)) || !service.gatewayHosts.some((match) => match(host))) continue;
      for (const rule of service.rules) {
        if (rule.matches.length > 0 && !rule.matches.some((match) => match(request, uri))) continue;
        const destination = pick(rule, random);
        if (!destination) return { kind: 'no-route' };
        return {
          kind: 'route',
          upstream: destination.upstream,
          requestOps: destination.requestOps,
          responseOps: destination.responseOps,
        };
      }
    }
    return { kind: 'no-route' };
  }
}

/** The hosts a Gateway admits on the ingress's plain-text port 80, or undefined when it does not apply here. */
function gatewayHosts(gateway: KubeObject): Array<(host: string) => boolean> | undefined {
  const spec = (gateway.spec ?? {}) as { selector?: unknown; servers?: unknown };
  const selector = (spec.selector ?? {}) as Record<string, unknown>;
  if (Object.entries(selector).some(([key, value]) => INGRESS_LABELS[key] !== value)) return undefined;
  const hosts: Array<(host: string) => boolean> = [];
  for (const server of Array.isArray(spec.servers) ? spec.servers : []) {
    const { port, hosts: serverHosts } = (server ?? {}) as { port?: { number?: unknown; protocol?: unknown }; hosts?: unknown };
    if (port?.number !== INGRESS_PORT || !HTTP_PROTOCOLS.has(String(port.protocol ?? '').toUpperCase())) continue;
    hosts.push(...strings(serverHosts).map(compileHost));
  }
  return hosts.length > 0 ? hosts : undefined;
}

function compileRule(rule: unknown, namespace: string): CompiledRule {
  const spec = (rule ?? {}) as { match?: unknown; route?: unknown; headers?: unknown };
  const ruleOps = compileHeaderOps(spec.headers);
  const destinations = (Array.isArray(spec.route) ? spec.route : []).map((route: unknown): CompiledDestination => {
    const entry = (route ?? {}) as { destination?: { host?: unknown }; weight?: unknown; headers?: unknown };
    const host = String(entry.destination?.host ?? '');
    const ops = compileHeaderOps(entry.headers);
    const mesh = meshNamespace(host, namespace);
    return {
      upstream: mesh ? { kind: 'mesh', namespace: mesh } : { kind: 'service', host },
      weight: typeof entry.weight === 'number' ? entry.weight : Number.NaN,
      // Route-level operations first, then the destination's, so the destination's `set` wins.
      requestOps: [ruleOps.request, ops.request].filter((op): op is HeaderOps => op !== undefined),
      responseOps: [ruleOps.response, ops.response].filter((op): op is HeaderOps => op !== undefined),
    };
  });
  // A lone destination takes all traffic; unweighted ones among several share equally, as Istio defaults them.
  const weighted = destinations.some((d) => !Number.isNaN(d.weight));
  for (const destination of destinations) {
    if (destinations.length === 1) destination.weight = 1;
    else if (Number.isNaN(destination.weight)) destination.weight = weighted ? 0 : 1;
  }
  return {
    matches: (Array.isArray(spec.match) ? spec.match : []).map(compileMatch),
    destinations,
    totalWeight: destinations.reduce((sum, d) => sum + Math.max(0, d.weight), 0),
  };
}

function compileMatch(match: unknown): (request: RouteRequest, uri: string) => boolean {
  const spec = (match ?? {}) as { uri?: unknown; method?: unknown; authority?: unknown; headers?: unknown };
  const conditions: Array<(request: RouteRequest, uri: string) => boolean> = [];
  if (spec.uri) {
    const matches = compileStringMatch(spec.uri);
    conditions.push((_request, uri) => matches(uri));
  }
  if (spec.method) {
    const matches = compileStringMatch(spec.method);
    conditions.push((request) => matches(request.method));
  }
  if (spec.authority) {
    const matches = compileStringMatch(spec.authority);
    conditions.push((request) => matches(request.authority));
  }
  for (const [name, value] of Object.entries((spec.headers ?? {}) as Record<string, unknown>)) {
    const key = name.toLowerCase();
    const matches = compileStringMatch(value);
    conditions.push((request) => matches(headerValue(request.headers[key])));
  }
  return (request, uri) => conditions.every((condition) => condition(request, uri));
}

function pick(rule: CompiledRule, random: () => number): CompiledDestination | undefined {
  if (rule.totalWeight <= 0) return undefined;
  let point = random() * rule.totalWeight;
  for (const destination of rule.destinations) {
    if (destination.weight <= 0) continue;
    point -= destination.weight;
    if (point < 0) return destination;
  }
  return rule.destinations.findLast((d) => d.weight > 0);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function hostOf(authority: string): string {
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0];
  return (host ?? '').toLowerCase();
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
