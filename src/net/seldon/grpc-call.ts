/**
 * gRPC calls with message types from the shipped protos (protobufjs encodes and decodes, @grpc/grpc-js carries),
 * and failures worded as grpc-go words them, since the seldon CLI prints them: `rpc error: code = NotFound desc = …`.
 */
import type * as grpcTypes from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { commonjs } from '../../core/interop.js';
import { grpcCodeName } from '../grpc-codes.js';
import { protoRoot, type ProtoName } from './protos.js';

type Decoded = Record<string, unknown>;

/** A failed call, `message` in grpc-go's words. */
export class RpcError extends Error {
  override readonly name = 'RpcError';

  constructor(
    readonly code: number,
    readonly details: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a unary call returns besides the answer: the server's headers and trailers (x-seldon-route). */
export interface CallResult {
  response: Decoded;
  headers: Record<string, string[]>;
  trailers: Record<string, string[]>;
}

export interface CallOptions {
  metadata?: [string, string][];
  deadline: number;
  signal: AbortSignal;
}

/** grpc-go's text for a connection that never opened: `dial tcp ADDR: connect: connection refused`. */
function dialText(details: string, address: string): string {
  // grpc-js says `No connection established. Last error: …` where grpc-go names the dial's failure.
  const reason = /ECONNREFUSED|No connection established|ECONNRESET/.test(details)
    ? 'connect: connection refused'
    : /EHOSTUNREACH/.test(details)
      ? 'connect: no route to host'
      : /ENOTFOUND|EAI_AGAIN/.test(details)
        ? `lookup ${address.replace(/:\d+$/, '')}: no such host`
        : undefined;
  return reason ? `connection error: desc = "transport: Error while dialing: dial tcp ${address}: ${reason}"` : details;
}

function metadataRecord(md: grpcTypes.Metadata | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(md?.getMap() ?? {})) out[key] = md!.get(key).map(String);
  return out;
}

/** One channel to one address, for the calls of one proto's service. */
export class GrpcChannel {
  private constructor(
    private readonly grpc: typeof grpcTypes,
    private readonly client: grpcTypes.Client,
    private readonly root: protobuf.Root,
    private readonly service: string,
    /** The address as the runbook wrote it, for messages. */
    readonly address: string,
    /** Where the address came from (`$SELDON_SCHEDULE_HOST`), named when it cannot be reached. */
    private readonly source?: string,
  ) {}

  /** Opens a channel to `dial` (the mapped socket address); `address` is what messages name. */
  static async open(proto: ProtoName, service: string, dial: string, address: string, authority?: string, source?: string): Promise<GrpcChannel> {
    const grpc = commonjs(await import('@grpc/grpc-js'));
    const options: grpcTypes.ChannelOptions = { 'grpc.default_authority': authority ?? address, 'grpc.max_receive_message_length': -1 };
    const client = new grpc.Client(dial, grpc.credentials.createInsecure(), options);
    return new GrpcChannel(grpc, client, protoRoot(proto), service, address, source);
  }

  close(): void {
    this.client.close();
  }

  private types(method: string): { path: string; req: protobuf.Type; res: protobuf.Type } {
    const svc = this.root.lookupService(this.service);
    const m = svc.methods[method];
    if (!m) throw new Error(`BUG: ${this.service} has no method ${method}`);
    m.resolve();
    return { path: `/${this.service}/${method}`, req: m.resolvedRequestType!, res: m.resolvedResponseType! };
  }

  private metadata(pairs: [string, string][] = []): grpcTypes.Metadata {
    const md = new this.grpc.Metadata();
    for (const [k, v] of pairs) md.add(k.toLowerCase(), v);
    return md;
  }

  private failure(err: grpcTypes.ServiceError): RpcError {
    const code = err.code ?? 2;
    const details = code === 14 ? dialText(err.details ?? err.message, this.address) : (err.details ?? err.message);
    // grpc-go words a client-side deadline as the context error.
    const desc = code === 4 && /deadline/i.test(details) ? 'context deadline exceeded' : details;
    // An address that cannot be reached is named with where it came from, on the same line.
    const from = code === 14 && this.source ? ` (${this.address} from ${this.source})` : '';
    return new RpcError(code, desc, `rpc error: code = ${grpcCodeName(code)} desc = ${desc}${from}`);
  }

  /** A unary call; `request` is a plain object with the proto's field names. */
  unary(method: string, request: Decoded, options: CallOptions): Promise<CallResult> {
    const { path, req, res } = this.types(method);
    const message = req.fromObject(request);
    return new Promise((resolve, reject) => {
      let headers: Record<string, string[]> = {};
      let outcome: { err: grpcTypes.ServiceError | null; response: protobuf.Message | undefined } | undefined;
      const call = this.client.makeUnaryRequest(
        path,
        (m: protobuf.Message) => Buffer.from(req.encode(m).finish()),
        (bytes: Buffer) => res.decode(bytes),
        message,
        this.metadata(options.metadata),
        { deadline: options.deadline },
        (err: grpcTypes.ServiceError | null, response?: protobuf.Message) => (outcome = { err, response }),
      );
      call.on('metadata', (md: grpcTypes.Metadata) => (headers = metadataRecord(md)));
      // grpc-js calls back before it emits the status, which carries the trailers: settle on the status.
      call.on('status', (status: grpcTypes.StatusObject) => {
        options.signal.removeEventListener('abort', onAbort);
        if (outcome?.err) return reject(this.failure(outcome.err));
        if (status.code !== 0) return reject(this.failure(Object.assign<Error, grpcTypes.StatusObject>(new Error(status.details), status)));
        resolve({ response: (outcome?.response ?? res.create()) as unknown as Decoded, headers, trailers: metadataRecord(status.metadata) });
      });
      const onAbort = (): void => call.cancel();
      options.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A server-streaming call, every answer until the stream ends. */
  stream(method: string, request: Decoded, options: CallOptions): Promise<Decoded[]> {
    const { path, req, res } = this.types(method);
    const message = req.fromObject(request);
    return new Promise((resolve, reject) => {
      const answers: Decoded[] = [];
      const call = this.client.makeServerStreamRequest(
        path,
        (m: protobuf.Message) => Buffer.from(req.encode(m).finish()),
        (bytes: Buffer) => res.decode(bytes),
        message,
        this.metadata(),
        { deadline: options.deadline },
      );
      const onAbort = (): void => call.cancel();
      options.signal.addEventListener('abort', onAbort, { once: true });
      call.on('data', (m: protobuf.Message) => answers.push(m as unknown as Decoded));
      call.on('error', (err: grpcTypes.ServiceError) => {
        options.signal.removeEventListener('abort', onAbort);
        reject(this.failure(err));
      });
      call.on('end', () => {
        options.signal.removeEventListener('abort', onAbort);
        resolve(answers);
      });
    });
  }

  /** The response type of a method, for printing. */
  responseType(method: string): protobuf.Type {
    return this.types(method).res;
  }

  /** The request type of a method, for reading JSON input. */
  requestType(method: string): protobuf.Type {
    return this.types(method).req;
  }
}

export { grpcCodeName };
