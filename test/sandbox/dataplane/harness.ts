/** Starts a data plane over a MemoryClusterView and runs the real curl against it. */
import { execFile } from 'node:child_process';
import { afterEach } from 'vitest';
import { startDataPlane, type DataPlane } from '../../../src/sandbox/dataplane/index.js';
import { MemoryClusterView } from './cluster-view.js';

export interface Harness {
  view: MemoryClusterView;
  plane: DataPlane;
  /** `http://127.0.0.1:PORT` */
  base: string;
}

export async function startHarness(options: { faultRouteDelayMs?: number; random?: () => number; now?: () => number } = {}): Promise<Harness> {
  const view = new MemoryClusterView();
  const plane = await startDataPlane({ view, port: 0, ...options });
  return { view, plane, base: `http://127.0.0.1:${plane.port}` };
}

/** A data plane for each test of the file, closed after it; `url` addresses its seldon-mesh listener. */
export function meshPerTest(): () => Promise<{ h: Harness; url: (path: string) => string }> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.plane.close();
    current = undefined;
  });
  return async () => {
    const h = (current = await startHarness());
    return { h, url: (path) => `http://127.0.0.1:${h.plane.meshPort}${path}` };
  };
}

export interface CurlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clock tests move by hand. */
export function manualClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

/** Runs /usr/bin/curl (no config files) and resolves with its output, whatever its exit status. */
export function curl(...args: string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile('curl', ['-q', '-sS', ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The response headers curl -v printed (`< name: value` lines), lowercase names, in order. */
export function responseHeaders(stderr: string): Array<[string, string]> {
  return stderr
    .split('\n')
    .filter((line) => /^< [\w-]+: /.test(line))
    .map((line) => {
      const text = line.slice(2).replace(/\r$/, '');
      const colon = text.indexOf(':');
      return [text.slice(0, colon).toLowerCase(), text.slice(colon + 2)] as [string, string];
    });
}
