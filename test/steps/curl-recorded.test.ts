/**
 * Whatever mix of -o, -w, -i, -v, -s, -I and --fail a runbook's curl uses, its recording is what curl printed on
 * the terminal, and the matcher compares that: real /usr/bin/curl runs under a pty (as a notebook's `!` does), its
 * output becomes the recorded output of the same command parsed from a runbook, and the curl step must match it,
 * print it byte for byte (in recorded form), and fail when the recorded status code changes.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { parseRunbook } from '../../src/parse/index.js';
import { matchStep, recordedForm } from '../../src/match/index.js';
import { stripProgress } from '../../src/match/curl.js';
import { context, normalise, runNative, tempDir } from './curl-harness.js';

let server: http.Server;
let port = 0;
let dir = '';

beforeAll(async () => {
  // Bodies as model servers send them: JSON without a final newline, so stdio holds them until curl exits.
  server = http.createServer((req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"no route"}');
    } else if (req.url === '/lines') {
      res.end('{"a":1}\n{"b":2}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"model_name":"iris","outputs":[{"data":[2]}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  dir = await tempDir();
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** The real curl with stdout and stderr on one pty; CRLF and curl's bold header names as a notebook keeps them not. */
function realOnPty(command: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('script', ['-qec', `/usr/bin/${command}`, '/dev/null'], { cwd: dir, encoding: 'utf8' }, (err, stdout) =>
      err && !stdout ? reject(err) : resolve(stdout),
    ),
  );
}

// eslint-disable-next-line no-control-regex -- ANSI escapes are what a notebook strips
const asRecorded = (text: string) => text.replace(/\r+\n/g, '\n').replace(/\x1b\[[0-9;]*m/g, '').replace(/\n+$/, '');
const stable = (text: string) => normalise(text, [port]);

needs('script', '/usr/bin/curl 7.88').describe('curl recorded as the terminal showed it', () => {
  it.each([
    ['-s -o /dev/null -w', `-s http://HOST/missing -o /dev/null -w '%{http_code}'`, '404'],
    ['-s -o /dev/null -w with a newline', `-s -o /dev/null -w '%{http_code}\\n' http://HOST/missing`, '404'],
    ['-s -w after the body', `-s -w '\\n%{http_code}\\n' http://HOST/missing`, '404'],
    ['-o without -s (the meter shows)', `-o /dev/null -w '%{http_code}' http://HOST/missing`, '404'],
    ['-i', `-i http://HOST/missing`, '404'],
    ['-i -s -w', `-i -s -w 'code=%{http_code}' http://HOST/missing`, '404'],
    ['-v', `-v http://HOST/missing`, '404'],
    ['-v on 200', `-v http://HOST/ok`, '200'],
    ['-v with a body of several lines', `-v http://HOST/lines`, '200'],
    ['-v -s -o /dev/null -w', `-v -s -o /dev/null -w '%{http_code}\\n' http://HOST/missing`, '404'],
    ['-I', `-s -I http://HOST/missing`, '404'],
    ['--fail', `--fail http://HOST/missing`, '404'],
    ['--fail -sS', `--fail -sS http://HOST/missing`, '404'],
    ['--fail -sv', `--fail -sv http://HOST/missing`, '404'],
    ['--fail -s -w', `--fail -s -w '%{http_code}' http://HOST/missing`, '404'],
  ])('%s', async (_name, flags, status) => {
    const command = `curl ${flags.replace('HOST', `127.0.0.1:${port}`)}`;
    const real = asRecorded(await realOnPty(command));
    expect(real).toContain(status);
    const recorded = real.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
    const plan = parseRunbook('t.md', `\`\`\`python\n!${command}\n\`\`\`\n\n${recorded}\n`);
    const step = plan.steps[0]!;
    expect(step.kind, step.note).toBe('curl');
    expect(step.expected?.text).toBe(real);
    if (step.kind !== 'curl') return;
    const native = await runNative(step.args, context(dir, { terminal: true }));
    // The recorded form leaves the progress meter out (its figures are never the same twice); nothing else.
    expect(stable(recordedForm(step, native))).toBe(stable(stripProgress(real)));
    const verdict = matchStep(step, native, { splits: [] });
    expect(verdict.diff).toBeUndefined();
    expect(verdict.ok).toBe(true);
    const other = status === '404' ? '503' : '201';
    const changed = { ...step, expected: { ...step.expected!, text: real.replace(new RegExp(`\\b${status}\\b`, 'g'), other) } };
    expect(matchStep(changed, native, { splits: [] }).ok).toBe(false);
  });
});
