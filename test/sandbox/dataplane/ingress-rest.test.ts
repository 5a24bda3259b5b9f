import { Pool } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { needs } from '../../tools.js';
import { curl, manualClock, responseHeaders, startHarness, type Harness } from './harness.js';
import { gateway, IRIS_REQUEST, singleModelRoute, toModel, virtualService } from './manifests.js';

const IRIS = 'gs://seldon-models/mlserver/iris';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.plane.close();
  harness = undefined;
});

async function singleModel(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  harness.view.put(gateway(), singleModelRoute());
  await harness.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 1, storageUri: IRIS, server: 'mlserver' });
  return harness;
}

const infer = (h: Harness, ...extra: string[]) =>
  curl('-v', `${h.base}/v2/models/iris/infer`, '-H', 'Content-Type: application/json', '-H', 'Host: 172.21.255.1', '-d', IRIS_REQUEST, ...extra);

needs('curl').describe('ingress over HTTP/1.1 (real curl)', () => {
  it('answers the seed notebook request with the recorded body and headers', async () => {
    const h = await singleModel();
    const result = await infer(h);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('< HTTP/1.1 200 OK');
    const headers = responseHeaders(result.stderr);
    expect(headers.map(([name]) => name)).toEqual([
      'content-length', 'content-type', 'date', 'server', 'x-envoy-upstream-service-time', 'seldon-route', 'x-seldon-route',
    ]);
    const get = (name: string) => headers.find(([key]) => key === name)?.[1];
    expect(get('content-length')).toBe('196');
    expect(get('content-type')).toBe('application/json');
    expect(get('server')).toBe('istio-envoy');
    expect(get('seldon-route')).toBe('iris_1');
    expect(get('x-seldon-route')).toBe(':iris_1:');
    expect(get('x-envoy-upstream-service-time')).toMatch(/^\d+$/);
    expect(new Date(get('date')!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const body = JSON.parse(result.stdout) as { id: string };
    expect(body.id).toMatch(UUID);
    expect(result.stdout).toBe(
      `{"model_name":"iris_1","model_version":"1","id":"${body.id}","parameters":null,"outputs":[{"name":"predict","shape":[1],"datatype":"INT64","parameters":null,"data":[2]}]}`,
    );
  });

  it('keeps the connection alive across requests and gives each a fresh id', async () => {
    const h = await singleModel();
    const url = `${h.base}/v2/models/iris/infer`;
    const result = await curl('-v', '-H', 'Content-Type: application/json', '-d', IRIS_REQUEST, url, url);
    expect(result.stderr).toMatch(/Re-using existing connection/);
    expect(result.stderr.match(/Connected to/g)).toHaveLength(1);
    const ids = result.stdout.match(/"id":"([^"]+)"/g);
    expect(ids).toHaveLength(2);
    expect(ids![0]).not.toBe(ids![1]);
  });

  it('serves the same over HTTP/2 with prior knowledge on the same port', async () => {
    const h = await singleModel();
    const result = await infer(h, '--http2-prior-knowledge');
    expect(result.stderr).toContain('< HTTP/2 200');
    expect(JSON.parse(result.stdout)).toMatchObject({ model_name: 'iris_1', outputs: [{ data: [2] }] });
  });

  it('answers health, metadata and readiness, and rejects unknown paths and bad requests', async () => {
    const h = await singleModel();
    const status = (r: { stderr: string }) => Number(/< HTTP\/1\.1 (\d+)/.exec(r.stderr)?.[1]);
    expect(status(await curl('-v', `${h.base}/v2/health/live`))).toBe(200);
    expect(status(await curl('-v', `${h.base}/v2/models/iris/ready`))).toBe(200);
    expect(JSON.parse((await curl(`${h.base}/v2`)).stdout)).toMatchObject({ name: 'mlserver', extensions: [] });
    expect(JSON.parse((await curl(`${h.base}/v2/models/iris`)).stdout)).toMatchObject({ name: 'iris_1', versions: ['1'] });
    // A path MLServer does not serve: its web framework's own 404.
    const unknown = await curl('-v', `${h.base}/v2/unknown`);
    expect(status(unknown)).toBe(404);
    expect(unknown.stdout).toBe('{"detail":"Not Found"}');
    const wrongVersionBody = await curl(`${h.base}/v2/models/iris/versions/9/infer`, '-d', IRIS_REQUEST);
    expect(JSON.parse(wrongVersionBody.stdout)).toEqual({ error: 'Model iris with version 9 not found' });
    const wrongVersion = await curl('-v', `${h.base}/v2/models/iris/versions/9/infer`, '-d', IRIS_REQUEST);
    expect(status(wrongVersion)).toBe(404);
    const badShape = await curl('-v', `${h.base}/v2/models/iris/infer`, '-d', '{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}');
    expect(status(badShape)).toBe(400);
    expect(JSON.parse(badShape.stdout).error).toMatch(/3 features/);
    const mismatch = await curl('-v', `${h.base}/v2/models/iris/infer`, '-d', '{"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":[1,2,3,4]}]}');
    expect(status(mismatch)).toBe(400);
    const notJson = await curl('-v', `${h.base}/v2/models/iris/infer`, '-d', '{inputs');
    expect(status(notJson)).toBe(400);
    const flat = await curl(`${h.base}/v2/models/iris/infer`, '-d', '{"id":"mine","inputs":[{"name":"x","shape":[2,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2,1,2,3,4]}]}');
    expect(JSON.parse(flat.stdout)).toMatchObject({ id: 'mine', outputs: [{ shape: [2], data: [0, 2] }] });
  });

  it('answers 404 with an empty body like Envoy when no route matches', async () => {
    const h = await singleModel();
    const result = await curl('-v', `${h.base}/v1/models/iris`);
    expect(result.stderr).toContain('< HTTP/1.1 404 Not Found');
    expect(result.stdout).toBe('');
    const names = responseHeaders(result.stderr).map(([name]) => name);
    expect(names).toEqual(['content-length', 'date', 'server']);
  });

  it('relays Seldon\'s Envoy\'s empty 404 once the model is unloaded (its routes are per loaded model)', async () => {
    const h = await singleModel();
    h.plane.registry.unload({ namespace: 'seldon-mesh', name: 'iris' });
    const result = await infer(h);
    expect(result.stderr).toContain('< HTTP/1.1 404 Not Found');
    expect(result.stdout).toBe('');
    // An upstream's answer through the ingress: Envoy's upstream service time, and no content-type.
    expect(responseHeaders(result.stderr).map(([name]) => name)).toEqual(['content-length', 'date', 'server', 'x-envoy-upstream-service-time']);
  });

  it('routes on header matches and regexes, and manipulates response headers', async () => {
    harness = await startHarness();
    const h = harness;
    h.view.put(
      gateway(),
      virtualService('r', [
        {
          match: [{ uri: { prefix: '/v2' }, headers: { 'x-variant': { exact: 'b' } } }],
          route: [toModel('iris2', undefined, { response: { set: { 'x-variant': 'b' }, add: { 'x-extra': 'one' }, remove: ['seldon-route'] } })],
        },
        { match: [{ uri: { regex: '/v2/models/iris[0-9]/infer' } }], route: [toModel('iris1')], headers: { response: { set: { server: 'custom' } } } },
      ]),
    );
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris1', version: 1, storageUri: IRIS, server: 'mlserver' });
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris2', version: 3, storageUri: IRIS, server: 'mlserver' });
    const b = await curl('-v', `${h.base}/v2/models/iris/infer`, '-H', 'x-variant: b', '-d', IRIS_REQUEST);
    const bHeaders = responseHeaders(b.stderr);
    expect(JSON.parse(b.stdout).model_name).toBe('iris2_3');
    expect(bHeaders).toContainEqual(['x-variant', 'b']);
    expect(bHeaders).toContainEqual(['x-extra', 'one']);
    expect(bHeaders.map(([n]) => n)).not.toContain('seldon-route');
    const regex = await curl('-v', `${h.base}/v2/models/iris7/infer`, '-d', IRIS_REQUEST);
    expect(JSON.parse(regex.stdout).model_name).toBe('iris1_1');
    expect(responseHeaders(regex.stderr)).toContainEqual(['server', 'custom']);
    const none = await curl('-v', `${h.base}/v2/models/iris/infer`, '-d', IRIS_REQUEST);
    expect(none.stderr).toContain('< HTTP/1.1 404');
  });

  it('answers 503 like Envoy while a change propagates, then recovers', async () => {
    const clock = manualClock();
    const h = await singleModel({ faultRouteDelayMs: 400, now: clock.now });
    const during = await infer(h);
    expect(during.stderr).toContain('< HTTP/1.1 503');
    expect(during.stdout).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection termination');
    expect(responseHeaders(during.stderr)).toContainEqual(['server', 'istio-envoy']);
    clock.advance(399);
    expect((await infer(h)).stderr).toContain('< HTTP/1.1 503');
    clock.advance(1);
    expect((await infer(h)).stderr).toContain('< HTTP/1.1 200');
    h.view.put(singleModelRoute('iris'));
    expect((await infer(h)).stderr).toContain('< HTTP/1.1 503');
    // Loading a model is not a cluster change; only the Model object's change opens the window.
    clock.advance(400);
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 2, storageUri: IRIS, server: 'mlserver' });
    expect((await infer(h)).stderr).toContain('< HTTP/1.1 200');
    h.view.put({ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Model', metadata: { name: 'iris', namespace: 'seldon-mesh' }, spec: { storageUri: IRIS } });
    expect((await infer(h)).stderr).toContain('< HTTP/1.1 503');
    clock.advance(400);
    h.view.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'default' } });
    expect((await infer(h)).stderr).toContain('< HTTP/1.1 200');
  });

  it('splits traffic by weight over 1,000 keep-alive requests', async () => {
    harness = await startHarness();
    const h = harness;
    h.view.put(gateway(), virtualService('split', [{ match: [{ uri: { prefix: '/v2/models/iris' } }], route: [toModel('iris1', 50), toModel('iris2', 50)] }]));
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris1', version: 1, storageUri: IRIS, server: 'mlserver' });
    await h.plane.registry.load({ namespace: 'seldon-mesh', name: 'iris2', version: 1, storageUri: IRIS, server: 'mlserver' });
    const pool = new Pool(h.base, { connections: 16 });
    const counts: Record<string, number> = {};
    try {
      await Promise.all(
        Array.from({ length: 1000 }, async () => {
          const response = await pool.request({ path: '/v2/models/iris/infer', method: 'POST', body: IRIS_REQUEST, headers: { 'content-type': 'application/json' } });
          const body = (await response.body.json()) as { model_name: string };
          expect(response.headers['seldon-route']).toBe(body.model_name);
          counts[body.model_name] = (counts[body.model_name] ?? 0) + 1;
        }),
      );
    } finally {
      await pool.close();
    }
    expect(Object.keys(counts).sort()).toEqual(['iris1_1', 'iris2_1']);
    expect(counts.iris1_1! / 1000).toBeGreaterThan(0.45);
    expect(counts.iris1_1! / 1000).toBeLessThan(0.55);
  });
});
