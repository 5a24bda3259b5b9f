import { describe, expect, it } from 'vitest';
import { virtualServiceErrors } from '../../../src/sandbox/dataplane/istio/admission.js';
import { parseDuration } from '../../../src/sandbox/dataplane/istio/duration.js';
import { virtualService } from './manifests.js';

describe('Istio durations', () => {
  it('reads Go durations as Istio does, in milliseconds', () => {
    expect(['10s', '0.5s', '100ms', '1m30s', '1h', '1.5ms', '250us', '0'].map(parseDuration)).toEqual([10_000, 500, 100, 90_000, 3_600_000, 1.5, 0.25, 0]);
    expect(['', '10', 's', '1x', '1s ', '-1s', ' 1s', 5].map(parseDuration)).toEqual(Array(8).fill(undefined));
  });
});

describe('VirtualService validation', () => {
  const errors = (http: unknown[], hosts = ['*']) => virtualServiceErrors(virtualService('v', http, ['gw'], hosts));
  const route = [{ destination: { host: 'seldon-mesh' } }];

  it('accepts what the ingress serves exactly', () => {
    expect(
      errors([
        {
          match: [{ uri: { regex: '/v2/.*' }, queryParams: { a: { exact: '1' } }, withoutHeaders: { b: {} }, ignoreUriCase: true }],
          route,
          rewrite: { uri: '/x', authority: 'y' },
          timeout: '1.5s',
          retries: { attempts: 3, perTryTimeout: '500ms', retryOn: 'gateway-error,connect-failure,503,unavailable' },
          fault: { delay: { fixedDelay: '1s', percentage: { value: 10 } }, abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 0.5 } } },
          mirror: { host: 'other' },
          mirrorPercentage: { value: 25 },
          headers: { request: { set: { a: 'b' } } },
        },
        { redirect: { uri: '/new', redirectCode: 302 } },
        { directResponse: { status: 503, body: { string: 'down' } } },
      ]),
    ).toEqual([]);
  });

  it('names each problem as Istio would, and what the sandbox cannot do', () => {
    expect(
      errors(
        [
          { match: [{ uri: { regex: '(' }, sourceLabels: { app: 'a' } }], route, timeout: 'soon', mirrors: [{ destination: { host: 'x' } }] },
          { redirect: { redirectCode: 200 }, directResponse: { status: 99 } },
          { route, retries: { attempts: -1, retryOn: 'often', backoff: '1s' }, fault: { abort: { percentage: { value: 5 } } } },
          {},
        ],
        [],
      ),
    ).toEqual([
      'virtual service must have at least one host',
      'mirrors is not supported by the runbook sandbox (http[0])',
      'match.sourceLabels is not supported by the runbook sandbox (http[0])',
      '"(" is not a valid regex',
      'timeout: invalid duration "soon"',
      'HTTP route cannot contain both direct response and route or redirect',
      'redirect code 200 is not a valid redirect code',
      'directResponse status must be between 200 and 599',
      'retries.backoff is not supported by the runbook sandbox',
      'attempts cannot be negative',
      '"often" is not a valid retryOn policy',
      'abort must have one of httpStatus, grpcStatus or http2Error',
      'HTTP route, redirect or direct response is required',
    ]);
  });
});
