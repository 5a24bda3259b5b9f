import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ServiceCall } from '../../../src/sandbox/dataplane/index.js';
import { needs } from '../../tools.js';
import { GATEWAY, header, says, startIstioCluster, virtualService, type IstioCluster } from './istio-cluster.js';

/** Every call the echo and mirror upstreams received. */
const received: Array<{ upstream: string; call: ServiceCall }> = [];
const recorder = (upstream: string) => async (call: ServiceCall) => {
  received.push({ upstream, call });
  const body = JSON.stringify({ path: call.path, host: call.headers.host });
  return { status: 200, contentType: 'application/json', body, headers: [] as Array<[string, string]> };
};
const ECHO = 'echo.default.svc.cluster.local';
const MIRROR = 'mirror.default.svc.cluster.local';

/** The real kubectl applies the VirtualServices; the real curl asks the ingress as Envoy's callers do. */
needs('kubectl 1.32', 'curl').describe('Istio VirtualService routes through the sandbox ingress', () => {
  let cluster: IstioCluster;
  beforeAll(async () => {
    cluster = await startIstioCluster({ [ECHO]: recorder('echo'), [MIRROR]: recorder('mirror') });
    // One apply for all: the catch-all sorts first (same second, first name), as if oldest; Envoy still prefers
    // the more specific hosts.
    await cluster.apply(
      GATEWAY,
      virtualService('a-any', ['*'], [says('any')]),
      virtualService('b-exact', ['test.example.com'], [says('exact', [{ uri: { prefix: '/' }, method: { exact: 'GET' } }])]),
      virtualService('c-suffix', ['*.example.com'], [says('suffix')]),
      virtualService('d-longer', ['*.deep.example.com'], [says('longer')]),
      virtualService('e-merge-old', ['merge.example.com'], [says('old', [{ uri: { prefix: '/a' } }])]),
      virtualService('f-merge-new', ['merge.example.com'], [says('new-a', [{ uri: { prefix: '/a' } }]), says('new-b', [{ uri: { prefix: '/b' } }])]),
      virtualService('match', ['match.example.com'], [
        says('query-exact', [{ queryParams: { debug: { exact: 'true' } } }]),
        says('query-regex', [{ queryParams: { num: { regex: '\\d+' } } }]),
        says('query-prefix', [{ queryParams: { tag: { prefix: 'v1' } } }]),
        says('case', [{ uri: { prefix: '/models' }, ignoreUriCase: true }]),
        says('without', [{ uri: { prefix: '/w' }, withoutHeaders: { 'x-skip': {} } }]),
        says('header', [{ headers: { 'x-team': { regex: 'a|b' } } }]),
      ]),
      virtualService('moved', ['moved.example.com'], [
        { match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', authority: 'models.example.org' } },
        { match: [{ uri: { prefix: '/secure' } }], redirect: { scheme: 'https', port: 8443, redirectCode: 308 } },
      ]),
      virtualService('direct', ['direct.example.com'], [
        { match: [{ uri: { exact: '/bytes' } }], directResponse: { status: 200, body: { bytes: Buffer.from('from bytes').toString('base64') } } },
        { directResponse: { status: 503, body: { string: 'down for maintenance' } }, headers: { response: { set: { 'retry-after': '60' } } } },
      ]),
      virtualService('faults', ['fault.example.com'], [
        { match: [{ uri: { prefix: '/abort' } }], fault: { abort: { httpStatus: 418, percentage: { value: 100 } } }, route: [{ destination: { host: ECHO } }] },
        { match: [{ uri: { prefix: '/grpc-abort' } }], fault: { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } }, route: [{ destination: { host: ECHO } }] },
        { match: [{ uri: { prefix: '/never' } }], fault: { abort: { httpStatus: 500, percentage: { value: 0 } } }, route: [{ destination: { host: ECHO } }] },
        { match: [{ uri: { prefix: '/delay' } }], fault: { delay: { fixedDelay: '400ms', percentage: { value: 100 } } }, route: [{ destination: { host: ECHO } }] },
      ]),
      virtualService('rewrites', ['rewrite.example.com'], [
        { match: [{ uri: { prefix: '/api/' } }], rewrite: { uri: '/v2/models/', authority: 'backend.internal' }, route: [{ destination: { host: ECHO } }] },
        { match: [{ uri: { regex: '/m/[^/]+/run' } }], rewrite: { uriRegexRewrite: { match: '^/m/([^/]+)/run$', rewrite: '/v2/models/\\1/infer' } }, route: [{ destination: { host: ECHO } }] },
        { match: [{ uri: { exact: '/copy' } }], route: [{ destination: { host: ECHO } }], mirror: { host: MIRROR }, mirrorPercentage: { value: 100 } },
      ]),
    );
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('picks the virtual host by the most specific domain: exact, longest *.suffix, then *; merges one host oldest first', async () => {
    const bodies = await Promise.all(
      ['test.example.com', 'TEST.example.com:8080', 'other.example.com', 'x.deep.example.com', 'deep.example.com', 'example.com', '172.21.255.1', 'merge.example.com/a', 'merge.example.com/b'].map(
        async (host) => (await cluster.http(`http://${host}${host.includes('/') ? '' : '/'}`)).body,
      ),
    );
    expect(bodies).toEqual(['exact', 'exact', 'suffix', 'longer', 'suffix', 'any', 'any', 'old', 'new-b']);
    // The chosen virtual host has no route for a POST: Envoy answers 404 and never falls back to `*`.
    const post = await cluster.http('http://test.example.com/', '-d', 'x');
    expect([post.status, post.body]).toEqual([404, '']);
  });

  test('matches queryParams, ignoreUriCase, headers and withoutHeaders', async () => {
    const at = async (path: string, ...args: string[]) => (await cluster.http(`http://match.example.com${path}`, ...args)).body;
    const answers = await Promise.all([
      at('/?debug=true'), at('/?debug=false'), at('/?num=42'), at('/?num=4a'), at('/?tag=v1.2'), at('/MODELS/iris'),
      at('/w'), at('/w', '-H', 'x-skip: 1'), at('/', '-H', 'x-team: b'), at('/', '-H', 'x-team: c'),
    ]);
    expect(answers).toEqual(['query-exact', '', 'query-regex', '', 'query-prefix', 'case', 'without', '', 'header', '']);
  });

  test('redirects with Envoy\'s empty 301 and Location, keeping the query; scheme, port and code can change', async () => {
    const [moved, secure] = await Promise.all([cluster.http('http://moved.example.com:8080/old/path?x=1'), cluster.http('http://moved.example.com/secure/a')]);
    expect(moved.statusLine).toBe('HTTP/1.1 301 Moved Permanently');
    expect(moved.headers.map(([name]) => name)).toEqual(['location', 'content-length', 'date', 'server']);
    expect(header(moved, 'location')).toBe('http://models.example.org/new?x=1');
    expect([header(moved, 'content-length'), header(moved, 'server'), moved.body]).toEqual(['0', 'istio-envoy', '']);
    expect(secure.statusLine).toBe('HTTP/1.1 308 Permanent Redirect');
    expect(header(secure, 'location')).toBe('https://moved.example.com:8443/secure/a');
  });

  test('answers a directResponse as Envoy\'s local reply, in text/plain, from a string or bytes', async () => {
    const [down, bytes] = await Promise.all([cluster.http('http://direct.example.com/'), cluster.http('http://direct.example.com/bytes')]);
    expect(down.statusLine).toBe('HTTP/1.1 503 Service Unavailable');
    expect(down.headers.map(([name]) => name)).toEqual(['content-length', 'content-type', 'date', 'server', 'retry-after']);
    expect([down.body, header(down, 'content-type'), header(down, 'content-length')]).toEqual(['down for maintenance', 'text/plain', '20']);
    expect([bytes.status, bytes.body]).toEqual([200, 'from bytes']);
  });

  test('injects faults: an abort answers "fault filter abort" without reaching the upstream, a delay really waits', async () => {
    const before = received.length;
    const at = (path: string) => cluster.http(`http://fault.example.com/${path}`);
    const [abort, grpcAbort, never, delayed] = await Promise.all([at('abort'), at('grpc-abort'), at('never'), at('delay')]);
    expect([abort.statusLine, abort.body, header(abort, 'content-type')]).toEqual(['HTTP/1.1 418 I\'m a Teapot', 'fault filter abort', 'text/plain']);
    // A gRPC status on a plain HTTP request: Envoy's fault filter answers 200 with its body.
    expect([grpcAbort.status, grpcAbort.body]).toEqual([200, 'fault filter abort']);
    expect(JSON.parse(never.body)).toEqual({ path: '/never', host: 'fault.example.com' });
    expect(JSON.parse(delayed.body)).toEqual({ path: '/delay', host: 'fault.example.com' });
    expect(delayed.seconds).toBeGreaterThanOrEqual(0.4);
    expect(received.slice(before).map((r) => r.call.path).sort()).toEqual(['/delay', '/never']);
  });

  test('rewrites the matched prefix, by regex, and the authority; mirrors a copy to a -shadow host', async () => {
    const at = (path: string) => cluster.http(`http://rewrite.example.com${path}`);
    const [prefix, regex, copied] = await Promise.all([at('/api/iris/infer?x=1'), at('/m/iris/run'), at('/copy')]);
    expect(JSON.parse(prefix.body)).toEqual({ path: '/v2/models/iris/infer?x=1', host: 'backend.internal' });
    expect(header(prefix, 'x-envoy-upstream-service-time')).toMatch(/^\d+$/);
    expect(JSON.parse(regex.body)).toEqual({ path: '/v2/models/iris/infer', host: 'rewrite.example.com' });
    expect(JSON.parse(copied.body)).toEqual({ path: '/copy', host: 'rewrite.example.com' });
    await expect.poll(() => received.filter((r) => r.upstream === 'mirror').map((r) => r.call.headers.host)).toEqual(['rewrite.example.com-shadow']);
  });
});
