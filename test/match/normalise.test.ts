import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalise, normaliseOnly } from '../../src/match/normalise.js';

describe('each normaliser', () => {
  it.each([
    ['ANSI', '\x1b[1;32mready\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07', 'ready link'],
    ['CRLF', 'a\r\nb\r\n', 'a\nb\n'],
    ['TRAILING', 'a  \nb\t\nc', 'a\nb\nc'],
    ['DATE', 'date: Sat, 16 Apr 2022 15:34:11 GMT', 'date: [DATE]'],
    ['DATE', 'at 2022-04-16T15:34:11Z and 2022-04-16T15:34:11.123456+02:00.', 'at [DATE] and [DATE].'],
    ['DATE', 'creationTimestamp: "2024-01-02T03:04:05Z"', 'creationTimestamp: "[DATE]"'],
    ['UUID', '"id":"83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5"', '"id":"[UUID]"'],
    ['RV', 'resourceVersion: "12345"', 'resourceVersion: "[RV]"'],
    ['RV', '"resourceVersion":"987"', '"resourceVersion":"[RV]"'],
    ['IP', 'Trying 172.21.255.1... and ::1 and fe80::1ff:fe23:4567:890a', 'Trying [IP]... and [IP] and [IP]'],
    ['IP', 'connect to [2001:db8::1]:8080', 'connect to [IP]:8080'],
    ['IP', 'versions 1.13.2 and 1.2.3.4.5 stay', 'versions 1.13.2 and 1.2.3.4.5 stay'],
    ['SUFFIX', 'pod/iris-7d9f8c6b5-x2x9k and seldon-scheduler-0 and job-x2x9k', 'pod/iris-[SUFFIX] and seldon-scheduler-0 and job-[SUFFIX]'],
    ['SUFFIX', 'seldon-mesh iris-route iris-grpc', 'seldon-mesh iris-route iris-grpc'],
    ['DURATION', 'iris   True   5s\nold    True   3m2s\nx      False  <invalid>', 'iris   True   [DURATION]\nold    True   [DURATION]\nx      False  [DURATION]'],
    ['DURATION', 'iris_1 v1alpha1 [1, 4] 94 bytes', 'iris_1 v1alpha1 [1, 4] 94 bytes'],
  ])('%s: %j', (name, input, output) => {
    expect(normaliseOnly(name, input)).toBe(output);
  });

  it('ports after an address, and random NodePorts', () => {
    expect(normalise('Connected to 127.0.0.1 (127.0.0.1) port 80 (#0) via 10.0.0.2:31380')).toBe(
      'Connected to [IP] ([IP]) port 80 (#0) via [IP]:[PORT]',
    );
    expect(normalise('istio-ingressgateway   LoadBalancer   80:31380/TCP,443:31390/TCP')).toBe(
      'istio-ingressgateway   LoadBalancer   80:[PORT]/TCP,443:[PORT]/TCP',
    );
  });

  it('keeps what matters', () => {
    const body = '{"model_name":"iris_1","model_version":"1","outputs":[{"shape":[1],"data":[2]}]}';
    expect(normalise(body)).toBe(body);
    expect(normalise('model.mlops.seldon.io/iris unchanged')).toBe('model.mlops.seldon.io/iris unchanged');
  });

  it('drops blank lines at the edges only', () => {
    expect(normalise('\n\n  \na\n\nb\n\n')).toBe('a\n\nb');
  });
});

// Texts built from the tokens the rules care about, so the properties exercise them rather than random noise.
const token = fc.constantFrom(
  '172.21.255.1', '::1', '[fe80::1]:80', ':', '.', '-', ' ', '\n', '\r\n', '\t', '5s', '3m2s', '1.5', 'x2x9k',
  '-7d9f8c6b5-x2x9k', 'iris', '83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5', '2022-04-16T15:34:11Z',
  'Sat, 16 Apr 2022 15:34:11 GMT', 'resourceVersion: "1"', '\x1b[31m', '[..]', '[IP]', '...', '80:31380/TCP', '0', '9',
);
const texty = fc.oneof(fc.string(), fc.array(fc.oneof(token, fc.string({ maxLength: 3 })), { maxLength: 30 }).map((t) => t.join('')));

describe('properties', () => {
  it('normalising is idempotent', () => {
    fc.assert(fc.property(texty, (t) => normalise(normalise(t)) === normalise(t)), { numRuns: 2_000 });
  });

  it('keeps the line structure', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(token, fc.string({ maxLength: 4 })).filter((s) => !/[\r\n]/.test(s)), { minLength: 1, maxLength: 8 }), (parts) => {
        const lines = parts.map((p, k) => `${k}${p}`);
        expect(normalise(lines.join('\n')).split('\n')).toHaveLength(lines.length);
      }),
    );
  });
});
