/**
 * Runbooks are recorded on a terminal (a notebook's `!` runs under a pty), so by default the curl step prints what
 * curl prints there: no progress meter, no `[N bytes data]` lines. Compared with the real curl run under a pty.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect } from 'vitest';
import { needs } from '../tools.js';
import { argvOf, context, curlArgs, normalise, runNative, startServer, tempDir, type TestServer } from './curl-harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** The real curl with its stdout and stderr on one pty, as a terminal (or Jupyter) shows them. */
function realOnPty(argv: string[], cwd: string): Promise<string> {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) =>
    execFile('script', ['-qec', `/usr/bin/curl ${quoted}`, '/dev/null'], { cwd, encoding: 'utf8' }, (err, stdout) =>
      err && !stdout ? reject(err) : resolve(stdout),
    ),
  );
}

needs('script', '/usr/bin/curl 7.88').it.each([
  ['POST -v', { verbose: true, data: [{ flag: 'data' as const, value: '{"a":1}' }], headers: ['Content-Type: application/json'] }],
  ['GET', {}],
  ['GET -i', { include: true }],
])('%s prints what curl prints on a terminal', async (_name, extra) => {
  const cwd = await tempDir();
  const args = curlArgs(`http://127.0.0.1:${server.port}/echo`, extra);
  // A pty turns \n into \r\n, and curl 7.88 styles header names in bold on a terminal (-i): compare without both.
  // eslint-disable-next-line no-control-regex -- ANSI escapes are exactly what must go
  const real = (await realOnPty(argvOf(args), cwd)).replace(/\r+\n/g, '\n').replace(/\x1b\[[0-9;]*m/g, '');
  let combined = '';
  await runNative(args, context(cwd, { terminal: true, write: (_stream, chunk) => (combined += chunk) }));
  combined = combined.replace(/\r+\n/g, '\n');
  expect(combined).not.toMatch(/bytes data|% Total/);
  expect(normalise(combined, [server.port])).toBe(normalise(real, [server.port]));
});
