/**
 * The `grpcurl` step: a unary call through @grpc/grpc-js, with message types from `-proto` files or server reflection,
 * printed as grpcurl prints them (JSON response on stdout; `ERROR:` blocks and dial failures on stderr, grpcurl's
 * exit codes). gRPC and protobufjs load only when a grpcurl step runs.
 */
import net from 'node:net';
import type { Message, Service } from 'protobufjs';
import type { GrpcurlArgs } from '../src/core/model.js';
import { mapTarget } from '../src/net/connect-to.js';
import { grpcCodeName } from '../src/net/grpc-codes.js';
import { resolveHost } from '../src/net/resolve-host.js';
import { OutputCollector } from './output.js';
import { withVars } from './substitute.js';
import { commonjs } from '../src/core/interop.js';
import type { StepContext, StepOutput, StepRunner } from '../src/core/step.js';

/** A failure grpcurl reports with a message and exit status 1 (dial errors, bad input, schema problems). */
class Fatal extends Error {}

function splitAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
  if (!m) throw new Fatal(`Failed to dial target host "${address}": dial tcp: address ${address}: missing port in address`);
  return { host: m[1] ?? '', port: Number(m[2]) };
}

/** grpcurl dials before anything else (blocking); a refused or unresolvable target ends the run with exit 1. */
async function dialCheck(address: string, host: string, port: number, shown: { host: string; port: number }, timeoutMs: number): Promise<void> {
  const ip = await resolveHost(host);
  if (ip === undefined) throw new Fatal(`Failed to dial target host "${address}": dial tcp: lookup ${host}: no such host`);
  const shownIp = net.isIP(shown.host) ? shown.host : ((await resolveHost(shown.host)) ?? ip);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: ip, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Fatal(`Failed to dial target host "${address}": context deadline exceeded`));
    }, Math.max(0, timeoutMs));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'EHOSTUNREACH' ? 'no route to host' : err.message;
      const target = net.isIPv6(shownIp) ? `[${shownIp}]:${shown.port}` : `${shownIp}:${shown.port}`;
      reject(new Fatal(`Failed to dial target host "${address}": dial tcp ${target}: connect: ${reason}`));
    });
  });
}

function splitMethod(method: string): { service: string; name: string } {
  const slash = method.lastIndexOf('/');
  const cut = slash >= 0 ? slash : method.lastIndexOf('.');
  return { service: method.slice(0, cut), name: method.slice(cut + 1) };
}

async function call(args: GrpcurlArgs, ctx: StepContext, out: OutputCollector): Promise<StepOutput> {
  const grpc = commonjs(await import('@grpc/grpc-js'));
  const { loadProtoFiles, reflectSchema, SchemaError } = await import('../src/net/grpc-schema.js');
  const { normaliseInput, printMessage, formatMessage, RequestDataError } = await import('../src/net/grpc-json.js');

  if (args.format !== 'json') throw new Fatal('runbook supports only -format json for grpcurl steps');
  if (args.verb !== 'call') throw new Fatal(`runbook supports only method calls for grpcurl steps, not "${args.verb}"`);
  if (args.data?.trim() === '@') throw new Fatal('-d @ (request data from stdin) is not supported by runbook; put the JSON in -d');

  const logical = splitAddress(args.address);
  const mapped = mapTarget(logical.host, logical.port, ctx.connectTo);
  const started = Date.now();
  const deadline = Math.min(ctx.deadline, args.maxTimeSec !== undefined ? started + args.maxTimeSec * 1000 : Infinity);
  const connectMs = Math.min(deadline - started, (args.connectTimeoutSec ?? 10) * 1000);
  await dialCheck(args.address, mapped.host, mapped.port, logical, connectMs);

  // A mapped target is the sandbox (or a port-forward): it speaks cleartext HTTP/2 whatever the flags say.
  const creds = args.plaintext || mapped.rule ? grpc.credentials.createInsecure() : grpc.credentials.createSsl();
  const dialAddress = net.isIPv6(mapped.host) ? `[${mapped.host}]:${mapped.port}` : `${mapped.host}:${mapped.port}`;
  const client = new grpc.Client(dialAddress, creds, { 'grpc.default_authority': args.address });
  const metadata = new grpc.Metadata();
  for (const header of args.headers) {
    const colon = header.indexOf(':');
    if (colon > 0) metadata.add(header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim());
  }
  const { service, name } = splitMethod(args.method);
  try {
    let root;
    try {
      root = args.protos.length > 0 ? loadProtoFiles(args.protos, args.importPaths, ctx.cwd) : await reflectSchema(client, service, metadata, deadline);
    } catch (err) {
      if (err instanceof SchemaError) throw new Fatal(err.message);
      const status = err as { code?: number; details?: string };
      if (typeof status.code === 'number') throw new Fatal(`Failed to list services: rpc error: code = ${grpcCodeName(status.code)} desc = ${status.details ?? ''}`);
      throw err;
    }
    const svc = root.lookup(service);
    if (!svc || !('methods' in svc)) throw new Fatal(`Error invoking method "${args.method}": target server does not expose service "${service}"`);
    const method = (svc as Service).methods[name];
    if (!method) throw new Fatal(`Error invoking method "${args.method}": service "${service}" does not include a method named "${name}"`);
    method.resolve();
    if (method.requestStream || method.responseStream) throw new Fatal('runbook supports only unary methods for grpcurl steps');
    // resolve() throws for a type it cannot find, so both are set here.
    const { resolvedRequestType: requestType, resolvedResponseType: responseType } = method;
    if (!requestType || !responseType) throw new Error(`BUG: ${args.method}: message types unresolved after resolve()`);

    let request;
    try {
      const input: unknown = args.data === undefined || args.data.trim() === '' ? {} : JSON.parse(args.data);
      const object = normaliseInput(requestType, input);
      const problem = requestType.verify(requestType.fromObject(object));
      if (problem) throw new RequestDataError(problem);
      request = requestType.fromObject(object);
    } catch (err) {
      if (err instanceof SyntaxError || err instanceof RequestDataError) {
        throw new Fatal(`Error invoking method "${args.method}": error getting request data: ${err.message}`);
      }
      throw err;
    }

    const path = `/${service}/${name}`;
    const result = await new Promise<{ response?: Message; error?: { code: number; details: string } }>((resolve) => {
      const pending = client.makeUnaryRequest(
        path,
        (m: Message) => Buffer.from(requestType.encode(m).finish()),
        (bytes: Buffer) => responseType.decode(bytes),
        request,
        metadata,
        { deadline },
        (err, response) => {
          ctx.signal.removeEventListener('abort', onAbort);
          if (err) resolve({ error: { code: err.code ?? 2, details: err.details ?? err.message } });
          else resolve({ response: response ?? undefined });
        },
      );
      const onAbort = (): void => pending.cancel();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });

    if (result.error) {
      const { code } = result.error;
      // grpc-go words a client-side deadline as the context error, where grpc-js names the elapsed time.
      const message = code === 4 && /deadline exceeded/i.test(result.error.details) ? 'context deadline exceeded' : result.error.details;
      out.err(`ERROR:\n  Code: ${grpcCodeName(code)}\n  Message: ${message}\n`);
      return { stdout: out.stdout, stderr: out.stderr, exitCode: 64 + code, data: { type: 'grpc', code, codeName: grpcCodeName(code), message } };
    }
    const response = result.response ?? responseType.create();
    out.out(printMessage(responseType, response, args.emitDefaults));
    return {
      stdout: out.stdout,
      stderr: out.stderr,
      exitCode: 0,
      data: { type: 'grpc', code: 0, codeName: 'OK', response: formatMessage(responseType, response, args.emitDefaults) },
    };
  } finally {
    client.close();
  }
}

export const grpcurl: StepRunner<'grpcurl'> = {
  async warm() {
    await Promise.all([import('@grpc/grpc-js'), import('../src/net/grpc-schema.js'), import('../src/net/grpc-json.js')]);
  },
  async run(rawArgs, ctx): Promise<StepOutput> {
    const out = new OutputCollector(ctx);
    try {
      return await call(withVars.grpcurl(rawArgs, ctx.vars), ctx, out);
    } catch (err) {
      if (!(err instanceof Fatal)) throw err;
      out.err(`${err.message}\n`);
      return { stdout: out.stdout, stderr: out.stderr, exitCode: 1 };
    }
  },
};
