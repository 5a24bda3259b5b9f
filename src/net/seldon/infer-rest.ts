/**
 * One Open Inference Protocol REST call as the seldon CLI makes it: `POST http://HOST/v2/models/NAME/infer` with
 * `seldon-model: NAME` (a pipeline: `NAME.pipeline`), the payload as given, through the run's undici pool (the
 * socket goes to the mapped address, the Host header keeps the one the runbook wrote).
 */
import { httpPool } from '../http-pool.js';

export interface RestCall {
  /** `HOST:PORT` as the runbook wrote it. */
  address: string;
  /** Where the socket really goes. */
  ip: string;
  port: number;
  path: string;
  method: 'GET' | 'POST';
  headers: [string, string][];
  body?: string;
  signal: AbortSignal;
  cache: Map<string, unknown>;
}

export interface RestAnswer {
  status: number;
  /** Names lower-case, in the order received. */
  headers: [string, string][];
  body: string;
}

export async function restCall(call: RestCall): Promise<RestAnswer> {
  const spec = { origin: `http://${call.address}`, ip: call.ip, port: call.port, h2c: false };
  const pool = httpPool(call.cache);
  const client = pool.client(spec);
  try {
    const res = await client.request({
      path: call.path,
      method: call.method,
      headers: call.headers.flat(),
      ...(call.body === undefined ? {} : { body: call.body }),
      signal: call.signal,
    });
    const headers: [string, string][] = [];
    for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : [v ?? '']) headers.push([k.toLowerCase(), one]);
    return { status: res.statusCode, headers, body: await res.body.text() };
  } catch (err) {
    // A timed-out or aborted request leaves the connection in an unknown state.
    pool.discard(spec);
    throw err;
  }
}
