/**
 * The sandbox's Kafka broker: Seldon's pipeline topics (kept in memory by the data plane) served over Kafka's wire
 * protocol on one port of 127.0.0.1, so that `seldon pipeline inspect` reads them the way it reads a real cluster's.
 * Each request is a size-prefixed frame with a v2 header (flexible versions) and is answered in order on its
 * connection. An API key or version the broker does not serve closes the connection (ApiVersions answers
 * UNSUPPORTED_VERSION first, as brokers do), and so does a malformed frame: a client never waits on silence.
 */
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import type { TopicLog } from '../types.js';
import type { BrokerState } from './apis.js';
import type * as AnswerModule from './answer.js';
import { WireReader, WireWriter } from './wire.js';

/** The APIs load with the first request: protobufjs and the OIP proto stay out of sandbox start. */
let answers: Promise<typeof AnswerModule> | undefined;

/** Larger frames are refused: the sandbox's requests are a few hundred bytes. */
const MAX_FRAME = 16 * 1024 * 1024;

export interface KafkaListenerOptions {
  topics: TopicLog;
  /**
   * The address Metadata names for this broker (`172.21.255.4:9092`), which clients reach through the mapping;
   * absent: its own `127.0.0.1:PORT`.
   */
  advertised?: { host: string; port: number };
  /** 0 or absent: any free port. */
  port?: number;
}

export interface KafkaListener {
  port: number;
  close(): Promise<void>;
}

function serve(socket: Socket, state: BrokerState, closing: () => boolean): void {
  let pending: Buffer = Buffer.alloc(0);
  // Responses go out in request order, even when a Fetch waits.
  let queue = Promise.resolve();
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const size = pending.readInt32BE(0);
      if (size < 8 || size > MAX_FRAME) return void socket.destroy();
      if (pending.length < 4 + size) return;
      const frame = pending.subarray(4, 4 + size);
      pending = pending.subarray(4 + size);
      queue = queue.then(async () => {
        if (socket.destroyed) return;
        const reader = new WireReader(frame);
        try {
          const header = { apiKey: reader.int16(), version: reader.int16(), correlationId: reader.int32() };
          const reply = await (await (answers ??= import('./answer.js'))).answer(header, reader, state, closing);
          if (!reply) return void socket.destroy();
          const head = new WireWriter().int32(header.correlationId);
          if (reply.flexible) head.taggedFields();
          const headBytes = head.done();
          socket.write(Buffer.concat([new WireWriter().int32(headBytes.length + reply.body.length).done(), headBytes, reply.body]));
        } catch {
          socket.destroy();
        }
      });
    }
  });
}

/** Listens on 127.0.0.1 and resolves once the port is bound. */
export async function startKafkaListener(options: KafkaListenerOptions): Promise<KafkaListener> {
  const state: BrokerState = { topics: options.topics, advertised: { nodeId: 1, host: '127.0.0.1', port: 0, ...options.advertised } };
  const sockets = new Set<Socket>();
  let closed = false;
  const server = createServer((socket) => {
    // As Kafka's own acceptor does (TCP_NODELAY): a reply is one write, never held back for the client's ACK.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, state, () => closed);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (!options.advertised) state.advertised.port = port;
  return {
    port,
    close: async () => {
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
