import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needs } from '../tools.js';
import type { CurlArgs } from '../../src/core/model.js';
import { httpPool } from '../../src/net/http-pool.js';
import {
  closedPort, context, curlArgs, normalise, runNative, runReal, startServer, tempDir, type TestServer,
} from './curl-harness.js';

let srv: TestServer;
let dir: string;
let refused: number;

beforeAll(async () => {
  srv = await startServer();
  dir = await tempDir();
  refused = await closedPort();
  await writeFile(join(dir, 'payload.json'), '{"inputs":\r\n[1, 2]}\n');
});
afterAll(() => srv.close());

const base = (): string => `http://127.0.0.1:${srv.port}`;

/** Native and real curl on the same arguments: equal stdout, stderr and exit code after normalising. */
async function differential(args: CurlArgs, ports: number[] = []) {
  const [native, real] = await Promise.all([runNative(args, context(dir)), runReal(args, dir)]);
  const norm = (r: { stdout: string; stderr: string; exitCode: number }) => ({
    stdout: normalise(r.stdout, [srv.port, ...ports]),
    stderr: normalise(r.stderr, [srv.port, ...ports]),
    exitCode: r.exitCode,
  });
  expect(norm(native)).toEqual(norm(real));
  return native;
}

needs('/usr/bin/curl 7.88').describe('curl step versus /usr/bin/curl 7.88.1', () => {
  test.each<[string, () => CurlArgs]>([
    ['GET', () => curlArgs(`${base()}/echo`)],
    ['GET without a scheme, silent', () => curlArgs(`127.0.0.1:${srv.port}/echo?q=1`, { silent: true })],
    ['POST -d with -H, verbose', () => curlArgs(`${base()}/echo`, { verbose: true, headers: ['Content-Type: application/json'], data: [{ flag: 'data', value: '{"a": 1}' }] })],
    ['several -d and @file (CR/LF stripped)', () => curlArgs(`${base()}/echo`, { silent: true, data: [{ flag: 'data', value: 'a=1' }, { flag: 'data', value: '@payload.json' }] })],
    ['--data-binary @file keeps newlines', () => curlArgs(`${base()}/echo`, { silent: true, data: [{ flag: 'data-binary', value: '@payload.json' }] })],
    ['--data-urlencode', () => curlArgs(`${base()}/echo`, { silent: true, data: [{ flag: 'data-urlencode', value: 'q=a b&c' }] })],
    ['missing @file warns', () => curlArgs(`${base()}/echo`, { data: [{ flag: 'data', value: '@nope.json' }] })],
    ['-i', () => curlArgs(`${base()}/echo`, { include: true, silent: true })],
    ['-I', () => curlArgs(`${base()}/echo`, { head: true, silent: true })],
    ['-X DELETE and header override/removal, -v -s', () => curlArgs(`${base()}/echo`, { method: 'DELETE', verbose: true, silent: true, headers: ['Accept:', 'User-Agent: probe/1', 'X-Extra: yes', 'Host: logical.example'] })],
    ['-u user:pass', () => curlArgs(`${base()}/echo`, { verbose: true, silent: true, user: 'alice:secret' })],
    ['--fail on 404, verbose', () => curlArgs(`${base()}/missing`, { fail: true, verbose: true })],
    ['--fail on 404, -s', () => curlArgs(`${base()}/missing`, { fail: true, silent: true })],
    ['--fail on 404, -sS', () => curlArgs(`${base()}/missing`, { fail: true, silent: true, showError: true })],
    ['404 without --fail', () => curlArgs(`${base()}/missing`, { silent: true, writeOut: '%{http_code}\\n' })],
    ['-w variables', () => curlArgs(`${base()}/echo`, { silent: true, output: 'out.json', writeOut: '%{http_code} %{content_type} %{size_download} %{url_effective} %{method} %{num_headers} %%\\t%header{x-seen-method}\n' })],
    ['-L redirect, -v -i', () => curlArgs(`${base()}/moved`, { location: true, include: true, verbose: true, silent: true })],
    ['--connect-to', () => curlArgs('http://10.1.2.3/echo', { verbose: true, connectTo: [`10.1.2.3:80:127.0.0.1:${srv.port}`] })],
    ['--resolve', () => curlArgs(`http://svc.example:${srv.port}/echo`, { verbose: true, resolve: [`svc.example:${srv.port}:127.0.0.1`] })],
    ['connection refused', () => curlArgs(`127.0.0.1:${refused}/`)],
    ['connection refused, verbose', () => curlArgs(`127.0.0.1:${refused}/`, { verbose: true })],
    ['connection refused through --connect-to, -sS', () => curlArgs('http://x.example/', { silent: true, showError: true, connectTo: [`::127.0.0.1:${refused}`] })],
    // -sS: whether the meter shows depends on how long the lookup took (a busy resolver crosses curl's threshold).
    ['DNS failure', () => curlArgs('http://nowhere.invalid/', { silent: true, showError: true })],
    ['DNS failure, verbose', () => curlArgs('http://nowhere.invalid/', { verbose: true })],
    // -sS: the meter's extra line depends on crossing a wall-clock second, which differs between two runs.
    ['timeout (-m)', () => curlArgs(`${base()}/slow`, { verbose: true, silent: true, showError: true, maxTimeSec: 0.5 })],
    ['bad protocol', () => curlArgs('gopherx://x/', { showError: true })],
  ])('%s', async (_name, make) => {
    await differential(make(), [refused]);
  });

  test('-o writes the same file as curl', async () => {
    const args = curlArgs(`${base()}/echo`, { silent: true, output: 'native.json' });
    await runNative(args, context(dir));
    await runReal({ ...args, output: 'real.json' }, dir);
    expect(await readFile(join(dir, 'native.json'), 'utf8')).toBe(await readFile(join(dir, 'real.json'), 'utf8'));
    expect(JSON.parse(await readFile(join(dir, 'native.json'), 'utf8'))).toMatchObject({ method: 'GET', url: '/echo' });
  });
});

describe('curl step', () => {
  test('returns http data with lowercased header names in order', async () => {
    const out = await runNative(curlArgs(`${base()}/echo`, { silent: true }), context(dir));
    expect(out.data?.type).toBe('http');
    if (out.data?.type !== 'http') return;
    expect(out.data.status).toBe(200);
    expect(Object.keys(out.data.headers)).toEqual(['content-type', 'x-seen-method', 'date', 'connection', 'keep-alive', 'content-length']);
    expect(JSON.parse(out.data.body)).toMatchObject({ method: 'GET' });
    expect(out.data.httpVersion).toBe('1.1');
  });

  test('substitutes ${VAR} and $VAR from ctx.vars, without a shell', async () => {
    const args = curlArgs('http://${HOST}:$PORT/echo', { silent: true, data: [{ flag: 'data', value: '$(echo no) ${WORD}' }] });
    const out = await runNative(args, context(dir, { vars: { HOST: '127.0.0.1', PORT: String(srv.port), WORD: 'yes' } }));
    expect(JSON.parse(out.stdout)).toMatchObject({ body: '$(echo no) yes' });
  });

  test('run-level connect-to mappings are invisible in the transcript', async () => {
    const ctx = context(dir, { connectTo: [{ host: '172.21.255.1', port: '80', toHost: '127.0.0.1', toPort: String(srv.port) }] });
    const out = await runNative(curlArgs('http://172.21.255.1/echo', { verbose: true, silent: true }), ctx);
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toContain('*   Trying 172.21.255.1:80...\n* Connected to 172.21.255.1 (172.21.255.1) port 80 (#0)\n');
    expect(out.stderr).toContain('> Host: 172.21.255.1\r\n');
    expect(out.stderr).toContain('* Connection #0 to host 172.21.255.1 left intact\n');
    expect(JSON.parse(out.stdout).headers[0]).toBe('host: 172.21.255.1');
    await httpPool(ctx.cache).close();
  });

  test('streams output through ctx.write as it comes', async () => {
    const chunks: Record<string, string[]> = { stdout: [], stderr: [] };
    const out = await runNative(curlArgs(`${base()}/echo`, { verbose: true }), context(dir, { write: (stream, c) => chunks[stream]?.push(c) }));
    expect(chunks.stdout?.join('')).toBe(out.stdout);
    expect(chunks.stderr?.join('')).toBe(out.stderr);
    expect(chunks.stderr?.length).toBeGreaterThan(3);
  });

  test('stops promptly when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const out = await runNative(curlArgs(`${base()}/slow`, { silent: true }), context(dir, { signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(out.exitCode).not.toBe(0);
  });

  test('keeps the connection alive across steps of one run', async () => {
    const ctx = context(dir);
    const first = await runNative(curlArgs(`${base()}/echo`, { silent: true, writeOut: '%{remote_port}' }), ctx);
    const second = await runNative(curlArgs(`${base()}/echo`, { silent: true }), ctx);
    expect(first.exitCode + second.exitCode).toBe(0);
    const pool = httpPool(ctx.cache);
    expect(ctx.cache.size).toBe(1);
    await pool.close();
  });
});
