/**
 * The launcher keeps WebAssembly on V8's baseline compiler (bin/code-cache.js): curl steps parse responses with
 * undici's llhttp (WebAssembly), and two requests were enough for V8 to tier its big function up to TurboFan, a
 * background compile of 200-400 ms and 29 MB. The flags that do it are set when the first module compiles, and the
 * code cache is read and written under V8's defaults, so its entries stay valid from one process to the next.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from '../commands/run-cli.js';
import { tempDir } from '../runner/fixtures.js';

const run = promisify(execFile);

describe('the launcher and WebAssembly', () => {
  const dir = tempDir('runbook-launcher-wasm-');
  const env = { ...process.env, RUNBOOK_CACHE_DIR: path.join(dir, 'cache'), NO_COLOR: '1' };
  let server: Server;
  let book: string;

  beforeAll(async () => {
    ensureBuilt();
    server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end('{"ok":true}\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cell = (p: string) => `\`\`\`sh\n$ curl -s ${url}/${p}\n{"ok":true}\n\`\`\`\n`;
    book = path.join(dir, 'curl.md');
    writeFileSync(book, `# Two requests\n\n${cell('a')}\n${cell('b')}\n${cell('c')}`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('parses curl responses with WebAssembly compiled by Liftoff only, never TurboFan', async () => {
    const traced = await run(process.execPath, ['--trace-wasm-compilation-times', path.join(repo, 'bin', 'runbook.js'), 'run', book, '--reporter', 'plain'], { env });
    expect(traced.stdout).toMatch(/3 passed/);
    // The trace shows the parser's functions compiled (so WebAssembly did run), each by Liftoff.
    expect(traced.stdout).toMatch(/Compiled function \S+ using Liftoff/);
    expect(traced.stdout).not.toMatch(/Compiled function \S+ using TurboFan/);
  });

  it('keeps code cache entries under V8\'s default flags: the third start after a curl run rewrites no entry', async () => {
    const cache = path.join(dir, 'entries');
    const start = () => run(process.execPath, [path.join(repo, 'bin', 'runbook.js'), 'run', book, '--reporter', 'plain'], { env: { ...env, RUNBOOK_CACHE_DIR: cache } });
    const entries = () => {
      const folder = path.join(cache, readdirSync(cache)[0]!);
      return Object.fromEntries(readdirSync(folder).map((f) => [f, statSync(path.join(folder, f)).mtimeMs]));
    };
    // The first start writes the entries and the pack, the second the pack's entry; after that, an entry written
    // under other flags than the reader's would be rejected and written again by every start.
    await start();
    await start();
    const before = entries();
    expect(Object.keys(before).some((f) => f.startsWith('pack-run-') && f.endsWith('.v8'))).toBe(true);
    await start();
    expect(entries()).toEqual(before);
  });
});
