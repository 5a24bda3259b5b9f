import { describe, expect, it } from 'vitest';
import { RouteTable, type RouteDecision, type RouteRequest } from '../../../src/sandbox/dataplane/routing.js';
import { gateway, MESH, singleModelRoute, toModel, virtualService } from './manifests.js';

const get = (path: string, headers: Record<string, string> = {}, authority = '172.21.255.1'): RouteRequest => ({
  method: 'GET',
  path,
  authority,
  headers,
});

/** The model a decision sends the request to, or 'none'. */
function target(decision: RouteDecision): string {
  if (decision.kind !== 'route') return decision.kind === 'no-route' ? 'none' : decision.kind;
  if (decision.upstream.kind === 'service') return `service:${decision.upstream.host}`;
  const set = decision.requestOps.flatMap((ops) => ops.set).find(([name]) => name === 'seldon-model');
  return set?.[1] ?? 'mesh';
}

describe('RouteTable', () => {
  it('routes the seed single-model config by path prefix and nothing else', () => {
    const table = RouteTable.compile([gateway()], [singleModelRoute()]);
    expect(target(table.route(get('/v2/models/iris/infer'), Math.random))).toBe('iris');
    expect(target(table.route(get('/inference.GRPCInferenceService/ModelInfer'), Math.random))).toBe('iris');
    expect(target(table.route(get('/v1/models/iris'), Math.random))).toBe('none');
  });

  it('binds a VirtualService only through an existing Gateway, by <ns>/<name> or same-namespace name', () => {
    const vs = (refs: string[]) => singleModelRoute('iris', refs);
    expect(RouteTable.compile([gateway()], [vs(['seldon-mesh/seldon-gateway'])]).route(get('/v2'), Math.random).kind).toBe('route');
    expect(RouteTable.compile([gateway()], [vs(['istio-system/seldon-gateway'])]).route(get('/v2'), Math.random).kind).toBe('no-route');
    expect(RouteTable.compile([gateway('seldon-gateway', 'istio-system')], [vs(['istio-system/seldon-gateway'])]).route(get('/v2'), Math.random).kind).toBe('route');
    expect(RouteTable.compile([], [vs(['seldon-gateway'])]).route(get('/v2'), Math.random).kind).toBe('no-route');
    // A mesh-only VirtualService (no gateways) is not on the ingress.
    expect(RouteTable.compile([gateway()], [vs([])]).route(get('/v2'), Math.random).kind).toBe('no-route');
  });

  it('ignores Gateways for other workloads or without a plain HTTP port 80 server', () => {
    const other = gateway('seldon-gateway', 'seldon-mesh', { selector: { istio: 'egressgateway' } });
    const tlsOnly = gateway('seldon-gateway', 'seldon-mesh', {
      servers: [{ hosts: ['*'], port: { name: 'https', number: 443, protocol: 'HTTPS' }, tls: { mode: 'SIMPLE' } }],
    });
    for (const gw of [other, tlsOnly]) {
      expect(RouteTable.compile([gw], [singleModelRoute()]).route(get('/v2'), Math.random).kind).toBe('no-route');
    }
  });

  it('matches hosts of the VirtualService and the Gateway server', () => {
    const gw = gateway('seldon-gateway', 'seldon-mesh', { servers: [{ hosts: ['*.example.com'], port: { number: 80, protocol: 'HTTP', name: 'http' } }] });
    const vs = virtualService('r', [{ route: [toModel('iris')] }], ['seldon-gateway'], ['models.example.com']);
    const table = RouteTable.compile([gw], [vs]);
    expect(target(table.route(get('/', {}, 'models.example.com:8080'), Math.random))).toBe('iris');
    expect(target(table.route(get('/', {}, 'other.example.com'), Math.random))).toBe('none');
    expect(target(table.route(get('/', {}, '172.21.255.1'), Math.random))).toBe('none');
  });

  it('takes the first matching rule; ORs match blocks and ANDs conditions within one', () => {
    const vs = virtualService('r', [
      { match: [{ uri: { prefix: '/v2' }, headers: { 'x-canary': { exact: 'yes' } } }], route: [toModel('canary')] },
      { match: [{ uri: { exact: '/v2/models/a/infer' } }, { headers: { 'x-model': { prefix: 'a-' } } }], route: [toModel('a')] },
      { match: [{ uri: { regex: '/v2/models/[0-9]+/infer' } }], route: [toModel('numbered')] },
      { match: [{ uri: { prefix: '/v2' } }], route: [toModel('fallback')] },
    ]);
    const table = RouteTable.compile([gateway()], [vs]);
    const route = (path: string, headers: Record<string, string> = {}) => target(table.route(get(path, headers), Math.random));
    expect(route('/v2/models/a/infer', { 'x-canary': 'yes' })).toBe('canary');
    expect(route('/v2/models/a/infer', { 'x-canary': 'no' })).toBe('a');
    expect(route('/v2/models/b/infer', { 'x-model': 'a-1' })).toBe('a');
    expect(route('/v2/models/42/infer')).toBe('numbered');
    // Regexes match the whole path, not a substring; query strings are not part of it.
    expect(route('/v2/models/42/infer/x')).toBe('fallback');
    expect(route('/v2/models/42/infer?x=1')).toBe('numbered');
    expect(route('/v2/models/a/infer?debug=1')).toBe('a');
    expect(route('/v3')).toBe('none');
  });

  it('splits by relative weight and never picks a zero weight', () => {
    const vs = virtualService('r', [{ route: [toModel('a', 1), toModel('b', 3), toModel('never', 0)] }]);
    const table = RouteTable.compile([gateway()], [vs]);
    const at = (r: number) => target(table.route(get('/'), () => r));
    expect(at(0)).toBe('a');
    expect(at(0.249)).toBe('a');
    expect(at(0.25)).toBe('b');
    expect(at(0.999)).toBe('b');
  });

  it('gives a lone destination all traffic, several zero weights none, and names a non-mesh destination', () => {
    const vs = virtualService('r', [
      { match: [{ uri: { prefix: '/lone' } }], route: [toModel('a', 0)] },
      { match: [{ uri: { prefix: '/zeros' } }], route: [toModel('a', 0), toModel('b', 0)] },
      { route: [{ destination: { host: 'reviews' } }] },
    ]);
    const table = RouteTable.compile([gateway()], [vs]);
    expect(target(table.route(get('/lone'), Math.random))).toBe('a');
    expect(target(table.route(get('/zeros'), Math.random))).toBe('none');
    expect(target(table.route(get('/other'), Math.random))).toBe('service:reviews');
    for (const host of [MESH, 'seldon-mesh', 'seldon-mesh.seldon-mesh']) {
      const mesh = RouteTable.compile([gateway()], [virtualService('m', [{ route: [{ destination: { host } }] }])]);
      expect(target(mesh.route(get('/'), Math.random))).toBe('mesh');
    }
  });

  it('picks the most specific virtual host, however old the catch-all, and never falls back from it', () => {
    const at = (name: string, hosts: string[], time: string, http: unknown[]) => ({
      ...virtualService(name, http, ['seldon-gateway'], hosts),
      metadata: { name, namespace: 'seldon-mesh', creationTimestamp: time },
    });
    const table = RouteTable.compile(
      [gateway()],
      [
        at('any', ['*'], '2024-01-01T00:00:00Z', [{ route: [toModel('any')] }]),
        at('exact', ['test.example.com'], '2024-01-02T00:00:00Z', [{ match: [{ uri: { prefix: '/v2' } }], route: [toModel('exact')] }]),
        at('suffix', ['*.example.com'], '2024-01-03T00:00:00Z', [{ route: [toModel('suffix')] }]),
      ],
    );
    const host = (authority: string, path = '/v2') => target(table.route(get(path, {}, authority), Math.random));
    expect(host('test.example.com')).toBe('exact');
    expect(host('Test.Example.com:31380')).toBe('exact');
    expect(host('other.example.com')).toBe('suffix');
    expect(host('example.com')).toBe('any');
    expect(host('test.example.com', '/v1')).toBe('none');
  });

  it('redirects every request of a Gateway server with tls.httpsRedirect to https, before any route', () => {
    const gw = gateway('seldon-gateway', 'seldon-mesh', {
      servers: [
        { hosts: ['secure.example.com'], port: { number: 80, protocol: 'HTTP', name: 'http' }, tls: { httpsRedirect: true } },
        { hosts: ['plain.example.com'], port: { number: 80, protocol: 'HTTP', name: 'http-plain' } },
      ],
    });
    const table = RouteTable.compile([gw], [virtualService('r', [{ route: [toModel('iris')] }], ['seldon-gateway'], ['*'])]);
    expect(table.route(get('/v2/models/iris?x=1', {}, 'secure.example.com:80'), Math.random)).toEqual({
      kind: 'redirect',
      status: 301,
      location: 'https://secure.example.com/v2/models/iris?x=1',
      responseOps: [],
    });
    expect(target(table.route(get('/v2', {}, 'plain.example.com'), Math.random))).toBe('iris');
  });

  it('orders VirtualServices by creation time', () => {
    const older = { ...virtualService('z-old', [{ route: [toModel('old')] }]), metadata: { name: 'z-old', namespace: 'seldon-mesh', creationTimestamp: '2024-01-01T00:00:00Z' } };
    const newer = { ...virtualService('a-new', [{ route: [toModel('new')] }]), metadata: { name: 'a-new', namespace: 'seldon-mesh', creationTimestamp: '2024-01-02T00:00:00Z' } };
    expect(target(RouteTable.compile([gateway()], [newer, older]).route(get('/'), Math.random))).toBe('old');
  });
});
