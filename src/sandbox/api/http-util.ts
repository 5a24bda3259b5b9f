/**
 * Small helpers of the API's HTTP layer: bodies in, JSON and Status objects out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject } from '../../core/json.js';
import { ApiError } from '../../core/api-status.js';

const MAX_BODY = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw ApiError.of('BadRequest', 'request entity too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  sendJson(res, error.code, error.toStatus(), headers);
}

/** Parses a JSON request body, answering 400 like the API server for anything that is not a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw ApiError.of('BadRequest', `the body of the request could not be decoded as JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw ApiError.of('BadRequest', 'the body of the request must be a JSON object');
  return value;
}
