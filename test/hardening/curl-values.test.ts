/**
 * Values that reach curl steps through variables: the step sends them as curl would, or refuses them where curl
 * would turn data into protocol (a line break in a header). Compared with /usr/bin/curl 7.88.1 where curl's
 * behaviour is the right one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needs } from '../tools.js';
import type { CurlArgs } from '../../src/core/model.js';
import { context, curlArgs, normalise, runNative, runReal, startServer, tempDir, type TestServer } from '../steps/curl-harness.js';
import { startEchoServer } from './harness.js';

let srv: TestServer;
let dir: string;
beforeAll(async () => {
  srv = await startServer();
  dir = await tempDir();
});
afterAll(() => srv.close());

const base = () => `http://127.0.0.1:${srv.port}`;

async function sameAsCurl(args: CurlArgs) {
  const [native, real] = await Promise.all([runNative(args, context(dir)), runReal(args, dir)]);
  const norm = (r: { stdout: string; stderr: string; exitCode: number }) => ({
    stdout: normalise(r.stdout, [srv.port]),
    stderr: normalise(r.stderr, [srv.port]),
    exitCode: r.exitCode,
  });
  expect(norm(native)).toEqual(norm(real));
  return native;
}

needs('/usr/bin/curl 7.88').describe('credentials: -H Authorization wins over -u, as in curl', () => {
  test.each<[string, () => CurlArgs]>([
    ['-u with -H Authorization', () => curlArgs(`${base()}/echo`, { verbose: true, silent: true, user: 'bob:pw', headers: ['Authorization: Bearer t0k'] })],
    ['-u with -H "Authorization:" (removed)', () => curlArgs(`${base()}/echo`, { verbose: true, silent: true, user: 'bob:pw', headers: ['Authorization:'] })],
  ])('%s', async (_name, make) => {
    const out = await sameAsCurl(make());
    // Only one credential is ever sent, so a report shows (redacted) exactly what went out.
    expect(out.stderr.match(/^> Authorization:/gim)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

needs('/usr/bin/curl 7.88').describe('URLs with whitespace or control characters fail like curl (exit 3), rather than being rewritten', () => {
  test.each([
    ['a newline', '/a\nb'],
    ['a space', '/a b'],
    ['a tab', '/a\tb'],
  ])('%s', async (_name, suffix) => {
    const out = await sameAsCurl(curlArgs(`${base()}/echo${suffix}`, { silent: true, showError: true }));
    expect(out.exitCode).toBe(3);
  });
});

describe('a header value with a line break', () => {
  test.each([
    ['CRLF', 'X-Value: a\r\nX-Injected: 1'],
    ['LF', 'X-Value: a\nX-Injected: 1'],
    ['CR', 'X-Value: a\rX-Injected: 1'],
  ])('(%s) is refused with a message, and nothing is sent', async (_name, header) => {
    const echo = await startEchoServer();
    try {
      const out = await runNative(curlArgs(`http://127.0.0.1:${echo.port}/`, { showError: true, silent: true, headers: [header] }), context(dir));
      expect(out.exitCode).toBe(43);
      expect(out.stderr).toBe('curl: (43) header "X-Value" holds a line break; runbook does not send it\n');
      expect(echo.requests).toEqual([]);
    } finally {
      await echo.close();
    }
  });
});
