import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { UpstreamFailure, type ServiceCall } from '../../../src/sandbox/dataplane/index.js';
import { needs } from '../../tools.js';
import { GATEWAY, header, startIstioCluster, virtualService, type IstioCluster } from './istio-cluster.js';

/** Tries per test id (`x-test`), and the tries that were aborted by Envoy's timeouts. */
const tries = new Map<string, number>();
const aborted = new Map<string, number>();
const SLOW = 'slow.default.svc.cluster.local';
const FLAKY = 'flaky.default.svc.cluster.local';

const headerOf = (call: ServiceCall, name: string) => String(call.headers[name] ?? '');
const count = (call: ServiceCall) => {
  const id = headerOf(call, 'x-test');
  tries.set(id, (tries.get(id) ?? 0) + 1);
  return { id, attempt: tries.get(id)! };
};
const ok = (attempt: number) => ({ status: 200, contentType: 'application/json', body: JSON.stringify({ attempt }), headers: [] as Array<[string, string]> });

/** Answers after `x-delay` ms (only the first try when `x-slow-first` is set), unless Envoy gives up first. */
async function slow(call: ServiceCall) {
  const { id, attempt } = count(call);
  const delay = headerOf(call, 'x-slow-first') && attempt > 1 ? 0 : Number(headerOf(call, 'x-delay') || 1000);
  try {
    await sleep(delay, undefined, { signal: call.signal });
  } catch {
    aborted.set(id, (aborted.get(id) ?? 0) + 1);
    throw new UpstreamFailure('reset');
  }
  return ok(attempt);
}

/** Fails the first `x-fail` tries of a test id as `x-mode` says (a status, `reset` or `connect`), then answers. */
async function flaky(call: ServiceCall) {
  const { attempt } = count(call);
  if (attempt > Number(headerOf(call, 'x-fail'))) return ok(attempt);
  const mode = headerOf(call, 'x-mode');
  if (mode === 'reset') throw new UpstreamFailure('reset');
  if (mode === 'connect') throw new UpstreamFailure('connect-failure');
  return { status: Number(mode), contentType: 'text/plain', body: `failed try ${attempt}`, headers: [] as Array<[string, string]> };
}

const route = (prefix: string, host: string, policy: Record<string, unknown> = {}) => ({ match: [{ uri: { prefix } }], route: [{ destination: { host } }], ...policy });

needs('kubectl 1.32', 'curl').describe('route timeouts and retries through the sandbox ingress', () => {
  let cluster: IstioCluster;
  beforeAll(async () => {
    cluster = await startIstioCluster({ [SLOW]: slow, [FLAKY]: flaky });
    await cluster.apply(
      GATEWAY,
      virtualService('policies', ['*'], [
        route('/timeout', SLOW, { timeout: '0.2s', retries: { attempts: 0 } }),
        route('/no-timeout', SLOW),
        route('/per-try', SLOW, { retries: { attempts: 2, perTryTimeout: '500ms', retryOn: '5xx' } }),
        route('/five-xx', FLAKY, { retries: { attempts: 3, retryOn: '5xx' } }),
        route('/none', FLAKY, { retries: { attempts: 0 } }),
        route('/default', FLAKY),
        route('/reset', FLAKY, { retries: { attempts: 1, retryOn: 'reset' } }),
        route('/codes', FLAKY, { retries: { attempts: 1, retryOn: 'retriable-status-codes,418' } }),
      ]),
    );
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const call = (path: string, id: string, ...headers: string[]) =>
    cluster.http(`http://models.example.com${path}`, '-H', `x-test: ${id}`, ...headers.flatMap((h) => ['-H', h]));

  test('a slower upstream than the route timeout is Envoy\'s 504 "upstream request timeout", and its try is cancelled', async () => {
    const [late, inTime] = await Promise.all([call('/timeout', 'late'), call('/no-timeout', 'in-time', 'x-delay: 300')]);
    expect([late.statusLine, late.body]).toEqual(['HTTP/1.1 504 Gateway Timeout', 'upstream request timeout']);
    expect(late.headers.map(([name]) => name)).toEqual(['content-length', 'content-type', 'date', 'server']);
    expect(aborted.get('late')).toBe(1);
    expect([inTime.status, JSON.parse(inTime.body)]).toEqual([200, { attempt: 1 }]);
    expect(header(inTime, 'x-envoy-upstream-service-time')).toMatch(/^\d+$/);
  });

  test('a per-try timeout is retried under 5xx', async () => {
    const answer = await call('/per-try', 'per-try', 'x-slow-first: 1');
    expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { attempt: 2 }]);
    expect(aborted.get('per-try')).toBe(1);
  });

  test('retries on the listed conditions, up to `attempts` retries, and answers the last try otherwise', async () => {
    const answers = await Promise.all([
      call('/five-xx', 'recovers', 'x-fail: 3', 'x-mode: 500'),
      call('/five-xx', 'gives-up', 'x-fail: 9', 'x-mode: 502'),
      call('/none', 'no-retries', 'x-fail: 1', 'x-mode: 503'),
      call('/reset', 'reset', 'x-fail: 1', 'x-mode: reset'),
      call('/none', 'reset-once', 'x-fail: 1', 'x-mode: reset'),
      call('/codes', 'teapot', 'x-fail: 1', 'x-mode: 418'),
      call('/codes', 'not-listed', 'x-fail: 1', 'x-mode: 503'),
    ]);
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [200, '{"attempt":4}'],
      [502, 'failed try 4'],
      [503, 'failed try 1'],
      [200, '{"attempt":2}'],
      [503, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination'],
      [200, '{"attempt":2}'],
      [503, 'failed try 1'],
    ]);
    expect(['recovers', 'gives-up', 'no-retries', 'reset', 'teapot', 'not-listed'].map((id) => tries.get(id))).toEqual([4, 4, 1, 2, 2, 1]);
  });

  test('without a retries block, Istio\'s default policy retries twice on 503 and connect failures, never on 500', async () => {
    const answers = await Promise.all([
      call('/default', 'default-503', 'x-fail: 2', 'x-mode: 503'),
      call('/default', 'default-connect', 'x-fail: 1', 'x-mode: connect'),
      call('/default', 'default-500', 'x-fail: 1', 'x-mode: 500'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 500]);
    expect(['default-503', 'default-connect', 'default-500'].map((id) => tries.get(id))).toEqual([3, 2, 1]);
  });
});
