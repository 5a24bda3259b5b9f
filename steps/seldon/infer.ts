/**
 * `seldon model|pipeline infer` and `model metadata` as the CLI runs them: the Open Inference Protocol over REST
 * (undici) or gRPC (grpc-js), routed by `seldon-model: NAME` (`NAME.pipeline`), one answer printed (REST: the body
 * indented with tabs; gRPC: protojson on one line), or with `-i N` the count of answers per `x-seldon-route`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SeldonArgs, SeldonCommand } from '../../src/core/model.js';
import type { StepContext } from '../../src/core/step.js';
import type { GrpcChannel } from '../../src/net/seldon/grpc-call.js';
import { goMap, indentJson } from '../../src/net/seldon/go-format.js';
import { restCall, type RestAnswer } from '../../src/net/seldon/infer-rest.js';
import { protoText } from '../../src/net/seldon/protojson.js';
import { RawContentsError, withRawContents } from '../../src/net/seldon/raw-contents.js';
import { resolveAddress, type Address } from './addresses.js';
import { CliError, type Printed } from './printed.js';

type InferCommand = Extract<SeldonCommand, { verb: 'infer' }>;
const ROUTE = 'x-seldon-route';
const STICKY_KEY = 'seldon:sticky-routes';

/** `content-type` → `Content-Type`, as Go's http.Header stores names. */
function canonical(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** `Key:[v1 v2]` lines (Go prints its map in random order; sorted here so a run is repeatable). */
function headerLines(prefix: string, headers: readonly [string, string][], canonicalise: boolean): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of headers) {
    const key = canonicalise ? canonical(k) : k.toLowerCase();
    grouped.set(key, [...(grouped.get(key) ?? []), v]);
  }
  return [...grouped.keys()]
    .sort()
    .map((k) => `${prefix} ${k}:[${grouped.get(k)!.join(' ')}]\n`)
    .join('');
}

/** `--header k=v` pairs; a header without exactly one `=` is the CLI's own error. */
function extraHeaders(headers: readonly string[]): [string, string][] {
  return headers.map((h) => {
    const parts = h.split('=');
    if (parts.length !== 2) throw new CliError(`Badly formed header ${h}: use key=val`);
    return [parts[0]!, parts[1]!];
  });
}

async function payload(command: InferCommand, ctx: StepContext): Promise<string> {
  if (command.data !== undefined) return command.data;
  if (command.file === undefined) throw new CliError('required inline data or from file with -f <file-path>');
  try {
    return await readFile(path.resolve(ctx.cwd, command.file), 'utf8');
  } catch {
    throw new CliError(`open ${command.file}: no such file or directory`);
  }
}

function routing(command: InferCommand, ctx: StepContext): [string, string][] {
  const sticky = command.sticky ? ((ctx.cache.get(STICKY_KEY) as string[] | undefined) ?? []) : undefined;
  if (sticky && sticky.length > 0) return sticky.map((r): [string, string] => [ROUTE, r]);
  return [['seldon-model', command.resource === 'pipeline' ? `${command.name}.pipeline` : command.name]];
}

function unreachable(err: unknown, address: Address): never {
  const code = (err as { code?: unknown }).code;
  if (code === 14 || code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'EHOSTUNREACH') {
    const reason = err instanceof Error ? err.message : String(err);
    if (code === 14) throw new CliError(reason);
    throw new CliError(`Post "http://${address.address}/v2/models/…/infer": dial tcp ${address.address}: connect: connection refused (${address.address} from ${address.source})`);
  }
  throw err;
}

function restError(answer: RestAnswer): CliError {
  if (answer.status === 400) {
    try {
      return new CliError(String((JSON.parse(answer.body) as { error?: unknown }).error ?? ''));
    } catch (err) {
      return new CliError((err as Error).message);
    }
  }
  return new CliError(`V2 server error: ${answer.status} ${answer.body}`);
}

async function inferRest(command: InferCommand, args: SeldonArgs, ctx: StepContext, address: Address): Promise<string> {
  const body = await payload(command, ctx);
  const headers: [string, string][] = [['content-type', 'application/json'], ...routing(command, ctx)];
  // Go's Header.Set: a later value replaces an earlier one of the same name.
  for (const [k, v] of extraHeaders(command.headers)) {
    const at = headers.findIndex(([name]) => name.toLowerCase() === k.toLowerCase());
    if (at >= 0) headers.splice(at, 1);
    headers.push([k, v]);
  }
  if (args.hosts.authority) headers.push(['host', args.hosts.authority]);
  let out = '';
  const counts = new Map<string, number>();
  for (let i = 0; i < command.iterations; i++) {
    if (command.showHeaders) out += headerLines('Request header', headers, true);
    const answer = await restCall({ address: address.address, ip: address.ip, port: address.port, path: `/v2/models/${command.name}/infer`, method: 'POST', headers, body, signal: ctx.signal, cache: ctx.cache }).catch((err: unknown) => unreachable(err, address));
    if (command.showHeaders) out += headerLines('Response header', answer.headers, true);
    if (answer.status !== 200) throw Object.assign(restError(answer), { stdout: out });
    const routes = answer.headers.filter(([k]) => k === ROUTE).map(([, v]) => v);
    if (routes.length > 0) ctx.cache.set(STICKY_KEY, routes);
    for (const r of routes) counts.set(r, (counts.get(r) ?? 0) + 1);
    if (command.iterations === 1) out += (indentJson(answer.body) ?? '') + (indentJson(answer.body) === undefined ? '' : '\n');
  }
  if (command.iterations > 1) out += `Success: ${goMap(counts)}\n`;
  return out;
}

/** Go's protojson.Unmarshal words a payload that is not JSON as a syntax error at a line and column. */
function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const offset = at ? Number(at[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    throw new CliError(`proto: syntax error (line ${before.length}:${(before.at(-1)?.length ?? 0) + 1}): invalid value ${text.slice(offset).split(/[\s,}\]]/)[0] ?? ''}`);
  }
}

async function inferGrpc(command: InferCommand, args: SeldonArgs, ctx: StepContext, address: Address): Promise<string> {
  const key = `seldon:inference-grpc:${address.ip}:${address.port}:${address.address}`;
  let grpc = ctx.cache.get(key) as GrpcChannel | undefined;
  if (!grpc) {
    // protobufjs and grpc-js load only for gRPC calls: a REST infer needs neither.
    const { GrpcChannel } = await import('../../src/net/seldon/grpc-call.js');
    grpc = await GrpcChannel.open('inference', 'inference.GRPCInferenceService', `${address.ip}:${address.port}`, address.address, args.hosts.authority, address.source);
    ctx.cache.set(key, grpc);
  }
  const type = grpc.requestType('ModelInfer');
  let request: Record<string, unknown>;
  try {
    const { normaliseInput } = await import('../../src/net/grpc-json.js');
    request = { ...normaliseInput(type, parsePayload(await payload(command, ctx))), model_name: command.name };
  } catch (err) {
    if (err instanceof CliError) throw err;
    // protojson names the field and where it is: `proto: (line 1:95): unknown field "data"`.
    const field = /has no known field named (\S+)/.exec((err as Error).message)?.[1];
    if (field === undefined) throw new CliError(`proto: ${(err as Error).message}`);
    const text = await payload(command, ctx);
    const at = text.indexOf(`"${field}"`);
    const before = text.slice(0, Math.max(0, at)).split('\n');
    throw new CliError(`proto: (line ${before.length}:${(before.at(-1)?.length ?? 0) + 1}): unknown field "${field}"`);
  }
  const metadata: [string, string][] = [...routing(command, ctx), ...extraHeaders(command.headers)];
  let out = command.showHeaders ? headerLines('Request metadata', metadata, false) : '';
  const counts = new Map<string, number>();
  for (let i = 0; i < command.iterations; i++) {
    const res = await grpc.unary('ModelInfer', request, { metadata, deadline: ctx.deadline, signal: ctx.signal }).catch((err: unknown) => unreachable(err, address));
    // Node's HTTP/2 joins repeated header fields with `, `; Go's gRPC keeps each `x-seldon-route` field a value.
    if (res.headers[ROUTE]) res.headers[ROUTE] = res.headers[ROUTE].flatMap((v) => v.split(', '));
    const routes = res.headers[ROUTE] ?? [];
    if (command.iterations === 1) {
      let typed: Record<string, unknown>;
      try {
        typed = withRawContents(res.response);
      } catch (err) {
        throw err instanceof RawContentsError ? new CliError(err.message, out) : err;
      }
      out += protoText(grpc.responseType('ModelInfer'), typed) + '\n';
    } else for (const r of routes) counts.set(r, (counts.get(r) ?? 0) + 1);
    // The CLI keeps the route for `-s` after it printed: an answer it could not print leaves the old one.
    if (routes.length > 0) ctx.cache.set(STICKY_KEY, routes);
    if (command.showHeaders) {
      out += headerLines('Response header', Object.entries(res.headers).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v])), false);
      out += headerLines('Response trailer', Object.entries(res.trailers).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v])), false);
    }
  }
  if (command.iterations > 1) out += `Success: ${goMap(counts)}\n`;
  return out;
}

export async function runInfer(command: InferCommand, args: SeldonArgs, ctx: StepContext): Promise<Printed> {
  const address = await resolveAddress('inference', args, ctx);
  const stdout = command.mode === 'grpc' ? await inferGrpc(command, args, ctx, address) : await inferRest(command, args, ctx, address);
  return { stdout };
}

/** `seldon model metadata NAME`: `GET /v2/models/NAME`, printed indented. */
export async function runMetadata(name: string, args: SeldonArgs, ctx: StepContext): Promise<Printed> {
  const address = await resolveAddress('inference', args, ctx);
  const answer = await restCall({ address: address.address, ip: address.ip, port: address.port, path: `/v2/models/${name}`, method: 'GET', headers: [['seldon-model', name]], signal: ctx.signal, cache: ctx.cache }).catch((err: unknown) => unreachable(err, address));
  if (answer.status !== 200) throw restError(answer);
  const pretty = indentJson(answer.body);
  return { stdout: pretty === undefined ? '' : `${pretty}\n` };
}
