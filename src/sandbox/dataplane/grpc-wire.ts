/**
 * A small gRPC server on HTTP/2 streams the ingress already owns: length-prefixed messages, `grpc-status`
 * trailers, unary and bidirectional-streaming methods. Handlers have @grpc/grpc-js's shapes, so grpc-js service
 * implementations such as @grpc/reflection's plug in through `addService`.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';

/** gRPC status codes used here. */
export const Status = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  INTERNAL: 13,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

/** The method shape of a proto-loader or grpc-js service definition. */
export interface MethodDefinition {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestDeserialize(data: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
}

export interface GrpcError {
  code: number;
  details?: string;
  message?: string;
}

export interface UnaryCall {
  request: unknown;
  metadata: IncomingHttpHeaders;
}
export type UnaryCallback = (error: GrpcError | null, value?: unknown) => void;
export type UnaryHandler = (call: UnaryCall, callback: UnaryCallback) => void;
export type StreamHandler = (call: StreamCall) => void;

/** A bidirectional call: emits 'data' per request message and 'end' when the client half-closes. */
export class StreamCall extends EventEmitter {
  constructor(
    readonly metadata: IncomingHttpHeaders,
    private readonly send: (value: unknown) => void,
    private readonly finish: (code: number, message: string) => void,
  ) {
    super();
  }

  write(value: unknown): boolean {
    this.send(value);
    return true;
  }

  end(): void {
    this.finish(Status.OK, '');
  }

  /** Ends the call with a non-OK status. */
  fail(error: GrpcError): void {
    this.finish(error.code, error.details ?? error.message ?? '');
  }
}

interface Registered {
  definition: MethodDefinition;
  handler: UnaryHandler | StreamHandler;
}

/** Methods by path (`/package.Service/Method`); `addService` matches grpc-js's `Server.addService`. */
export class GrpcMethods {
  readonly #methods = new Map<string, Registered>();

  addService(service: Record<string, MethodDefinition>, implementation: Record<string, unknown>): void {
    for (const [name, definition] of Object.entries(service)) {
      const handler = implementation[name] ?? implementation[name.charAt(0).toLowerCase() + name.slice(1)];
      if (typeof handler === 'function') {
        this.#methods.set(definition.path, { definition, handler: handler as UnaryHandler | StreamHandler });
      }
    }
  }

  get(path: string): Registered | undefined {
    return this.#methods.get(path);
  }
}

/** Envoy's and the mesh's response headers, added to every gRPC response's initial headers. */
export type ExtraHeaders = () => OutgoingHttpHeaders;

/** Answers a gRPC call with no body: a trailers-only response, as Envoy sends for its local replies. */
export function respondTrailersOnly(stream: ServerHttp2Stream, extra: OutgoingHttpHeaders, code: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', ...extra, 'grpc-status': String(code), 'grpc-message': encodeMessage(message) },
    { endStream: true },
  );
  // The request body is of no interest any more.
  stream.resume();
}

/** Serves one gRPC call on `stream` with the registered method at `path`. */
export function serveCall(methods: GrpcMethods, stream: ServerHttp2Stream, path: string, metadata: IncomingHttpHeaders, extra: ExtraHeaders): void {
  const registered = methods.get(path);
  if (!registered) {
    respondTrailersOnly(stream, extra(), Status.UNIMPLEMENTED, `unknown method ${path}`);
    return;
  }
  const { definition, handler } = registered;
  let finished = false;
  const sendHeaders = (): void => {
    if (!stream.headersSent) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': 'identity', ...extra() }, { waitForTrailers: true });
    }
  };
  const send = (value: unknown): void => {
    if (finished || stream.destroyed) return;
    sendHeaders();
    stream.write(frame(definition.responseSerialize(value)));
  };
  const finish = (code: number, message: string): void => {
    if (finished || stream.destroyed) return;
    finished = true;
    if (!stream.headersSent && code !== Status.OK) {
      respondTrailersOnly(stream, extra(), code, message);
      return;
    }
    sendHeaders();
    stream.once('wantTrailers', () => {
      const trailers: OutgoingHttpHeaders = { 'grpc-status': String(code) };
      if (message) trailers['grpc-message'] = encodeMessage(message);
      stream.sendTrailers(trailers);
    });
    stream.end();
  };
  const fail = (error: unknown): void => {
    const grpc = error as GrpcError;
    const known = typeof grpc?.code === 'number';
    finish(known ? grpc.code : Status.INTERNAL, known ? (grpc.details ?? grpc.message ?? '') : String((error as Error)?.message ?? error));
  };

  const unary = !definition.requestStream && !definition.responseStream;
  const call = unary ? undefined : new StreamCall(metadata, send, finish);
  const received: unknown[] = [];
  const reader = new FrameReader((message, compressed) => {
    if (compressed) throw Object.assign(new Error('compressed messages are not supported'), { code: Status.UNIMPLEMENTED, details: 'compressed messages are not supported' });
    const value = definition.requestDeserialize(message);
    if (call) call.emit('data', value);
    else received.push(value);
  });
  if (call) (handler as StreamHandler)(call);
  stream.on('data', (chunk: Buffer) => {
    if (finished) return;
    try {
      reader.push(chunk);
    } catch (error) {
      fail(error);
    }
  });
  stream.on('end', () => {
    if (finished) return;
    if (call) {
      call.emit('end');
      return;
    }
    if (received.length !== 1) {
      finish(Status.UNIMPLEMENTED, `expected one request message, received ${received.length}`);
      return;
    }
    try {
      (handler as UnaryHandler)({ request: received[0], metadata }, (error, value) => {
        if (error) fail(error);
        else {
          send(value);
          finish(Status.OK, '');
        }
      });
    } catch (error) {
      fail(error);
    }
  });
  stream.on('close', () => {
    finished = true;
  });
}

/** Splits a byte stream into gRPC messages (1-byte compressed flag, 4-byte big-endian length, payload). */
class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onMessage: (message: Buffer, compressed: boolean) => void) {}

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 5) {
      const length = this.#buffer.readUInt32BE(1);
      if (this.#buffer.length < 5 + length) return;
      const compressed = this.#buffer[0] === 1;
      const message = this.#buffer.subarray(5, 5 + length);
      this.#buffer = this.#buffer.subarray(5 + length);
      this.onMessage(message, compressed);
    }
  }
}

function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

/** Percent-encodes a grpc-message as the gRPC HTTP/2 spec asks (printable ASCII except '%' stays). */
export function encodeMessage(message: string): string {
  return Array.from(Buffer.from(message, 'utf8'), (byte) =>
    byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}
