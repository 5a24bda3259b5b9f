/**
 * A small HTTP load driver for bench/dataplane.ts's side-by-side throughput checks: undici keep-alive connections in a worker thread,
 * so that the generator does not share an event loop with a server running in this process.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  url: string;
  /** Keep-alive connections, one request in flight on each (default 16). */
  connections?: number;
  durationMs?: number;
  /** Not measured, before `durationMs` starts (default 500 ms). */
  warmupMs?: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  /** Requests that failed or answered other than 2xx. */
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

// CommonJS source for an eval worker: it cannot load TypeScript, and this keeps the driver bundle-safe.
const WORKER = `
const { parentPort, workerData: o } = require('node:worker_threads');
const { Pool } = require(o.undici);
const url = new URL(o.url);
const pool = new Pool(url.origin, { connections: o.connections, pipelining: 1 });
const latencies = [];
let errors = 0;
async function loop(until, record) {
  while (performance.now() < until) {
    const start = performance.now();
    try {
      const res = await pool.request({ path: url.pathname + url.search, method: o.method, body: o.body, headers: o.headers });
      await res.body.dump();
      if (record) { if (res.statusCode >= 300) errors++; latencies.push(performance.now() - start); }
    } catch { if (record) errors++; }
  }
}
(async () => {
  const warm = performance.now() + o.warmupMs;
  await Promise.all(Array.from({ length: o.connections }, () => loop(warm, false)));
  const begin = performance.now();
  await Promise.all(Array.from({ length: o.connections }, () => loop(begin + o.durationMs, true)));
  const elapsed = performance.now() - begin;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  parentPort.postMessage({ requests: latencies.length, errors, rps: latencies.length / (elapsed / 1000), p50Ms: at(0.5), p99Ms: at(0.99) });
})();
`;

/** Drives `url` for `durationMs` with `connections` keep-alive connections and reports throughput and latency. */
export function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const workerData = {
    undici: createRequire(import.meta.url).resolve('undici'),
    url: options.url,
    connections: options.connections ?? 16,
    durationMs: options.durationMs ?? 3000,
    warmupMs: options.warmupMs ?? 500,
    method: options.method ?? 'GET',
    body: options.body,
    headers: options.headers ?? {},
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
