/**
 * The scheduler's gRPC API (seldon.mlops.scheduler.Scheduler, the subset in runbooks/apis/mlops/scheduler), served
 * on one port of 127.0.0.1 by @grpc/grpc-js. (The pipeline topics are read over Kafka's protocol: src/sandbox/kafka.)
 *
 * The port listens at once, but gRPC's modules load on the first connection (or just after start, off the
 * critical path): a plain TCP listener hands each connection to the gRPC server on an internal port. Sandbox
 * start stays fast, and nothing in the bytes changes.
 */
import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import type * as GrpcJs from '@grpc/grpc-js';
import type { Scheduler } from './scheduler.js';
import { SchedulerError } from './types.js';
import { commonjs } from '../../core/interop.js';
import { SCHEDULER_PROTO, findProto } from './proto-file.js';
import {
  experimentFrom,
  experimentStatusTo,
  modelFrom,
  modelStatusTo,
  pipelineFrom,
  pipelineStatusTo,
  serverStatusTo,
} from './wire.js';

/** What SchedulerStatus answers as the application version. */
export const SCHEDULER_VERSION = '2.8.0-sandbox';

export interface SchedulerServerOptions {
  scheduler: Scheduler;
  /** The namespace the scheduler serves (its objects without Kubernetes metadata live here). */
  namespace: string;
  /** 0 or absent: any free port. */
  port?: number;
}

export interface SchedulerServer {
  port: number;
  /** Loads gRPC now, off the caller's critical path (call once the sandbox has started). */
  warm(): void;
  close(): Promise<void>;
}

type Message = Record<string, unknown>;
type Unary = (call: { request: Message }, callback: (error: Partial<GrpcJs.StatusObject> | null, value?: Message) => void) => void;
type Streaming = (call: GrpcJs.ServerWritableStream<Message, Message>) => void;

async function startGrpc(options: SchedulerServerOptions): Promise<{ port: number; server: GrpcJs.Server }> {
  const grpc = commonjs(await import('@grpc/grpc-js'));
  const loader = commonjs(await import('@grpc/proto-loader'));
  const loadOptions = { keepCase: true, longs: String, enums: String, defaults: false, arrays: true, oneofs: true };
  const scheduler = grpc.loadPackageDefinition(loader.loadSync(findProto(SCHEDULER_PROTO), loadOptions)) as unknown as {
    seldon: { mlops: { scheduler: { Scheduler: { service: GrpcJs.ServiceDefinition } } } };
  };
  const { scheduler: s, namespace } = options;

  const codeOf = (error: unknown): GrpcJs.status => {
    if (!(error instanceof SchedulerError)) return grpc.status.INTERNAL;
    const codes = { NOT_FOUND: grpc.status.NOT_FOUND, FAILED_PRECONDITION: grpc.status.FAILED_PRECONDITION, INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT };
    return codes[error.code];
  };
  const unary =
    (handle: (request: Message) => Message | void): Unary =>
    (call, callback) => {
      try {
        callback(null, handle(call.request) ?? {});
      } catch (error) {
        callback({ code: codeOf(error), details: (error as Error).message });
      }
    };
  // Each status call sends the current state of what it names and ends, as Seldon's scheduler does.
  const stream =
    (list: (request: Message) => Message[]): Streaming =>
    (call) => {
      try {
        for (const message of list(call.request)) call.write(message);
        call.end();
      } catch (error) {
        // grpc-js sends an 'error' emitted on a server stream as the call's status.
        call.emit('error', { code: codeOf(error), details: (error as Error).message });
      }
    };
  const named = (request: Message): string | undefined => {
    const name = request.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  };

  const server = new grpc.Server();
  server.addService(scheduler.seldon.mlops.scheduler.Scheduler.service, {
    LoadModel: unary((r) => s.loadModel(modelFrom((r.model ?? {}) as Message, namespace))),
    UnloadModel: unary((r) => s.unloadModel(namespace, String((r.model as Message | undefined)?.name ?? ''))),
    LoadPipeline: unary((r) => s.pipelines.load(pipelineFrom((r.pipeline ?? {}) as Message, namespace))),
    UnloadPipeline: unary((r) => s.pipelines.unload(namespace, String(r.name ?? ''))),
    StartExperiment: unary((r) => s.experiments.start(experimentFrom((r.experiment ?? {}) as Message, namespace))),
    StopExperiment: unary((r) => s.experiments.stop(namespace, String(r.name ?? ''))),
    SchedulerStatus: unary(() => ({ applicationVersion: SCHEDULER_VERSION })),
    ModelStatus: stream((r) => {
      const name = named((r.model ?? {}) as Message);
      const all = r.allVersions === true;
      if (name === undefined) return s.models(namespace).map((m) => modelStatusTo(m, all));
      const model = s.model(namespace, name);
      if (!model) throw new SchedulerError('NOT_FOUND', `model ${name} not found`);
      return [modelStatusTo(model, all)];
    }),
    ServerStatus: stream((r) => {
      const name = named(r);
      const servers = s.servers(namespace).filter((x) => name === undefined || x.definition.name === name);
      if (name !== undefined && servers.length === 0) throw new SchedulerError('NOT_FOUND', `server ${name} not found`);
      return servers.map(serverStatusTo);
    }),
    PipelineStatus: stream((r) => {
      const name = named(r);
      if (name === undefined) return s.pipelines.list(namespace).map(pipelineStatusTo);
      const pipeline = s.pipelines.get(namespace, name);
      if (!pipeline) throw new SchedulerError('NOT_FOUND', `pipeline ${name} not found`);
      return [pipelineStatusTo(pipeline)];
    }),
    ExperimentStatus: stream((r) => {
      const name = named(r);
      if (name === undefined) return s.experiments.list(namespace).map(experimentStatusTo);
      const experiment = s.experiments.get(namespace, name);
      if (!experiment) throw new SchedulerError('NOT_FOUND', `Experiment not found ${name}`);
      return [experimentStatusTo(experiment)];
    }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, server };
}

/** Listens at once; gRPC starts on first use or on `warm()`, whichever comes first. */
export async function startSchedulerServer(options: SchedulerServerOptions): Promise<SchedulerServer> {
  let inner: Promise<{ port: number; server: GrpcJs.Server }> | undefined;
  const grpcReady = () => (inner ??= startGrpc(options));
  const sockets = new Set<Socket>();
  const front = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.pause();
    grpcReady().then(
      ({ port }) => {
        const upstream = connect(port, '127.0.0.1');
        // No Nagle on either leg: a status stream arrives in several small writes, and each one held back until
        // the client's delayed ACK cost 40 ms a call (every `seldon … status` and load step of a runbook).
        socket.setNoDelay(true);
        upstream.setNoDelay(true);
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
        socket.pipe(upstream).pipe(socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 0, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  let warm: NodeJS.Immediate | undefined;
  return {
    port: (front.address() as AddressInfo).port,
    warm: () => {
      warm ??= setImmediate(() => void grpcReady().catch(() => {}));
    },
    close: async () => {
      if (warm) clearImmediate(warm);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      if (inner) (await inner.catch(() => undefined))?.server.forceShutdown();
    },
  };
}
