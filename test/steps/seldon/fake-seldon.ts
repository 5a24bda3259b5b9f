/**
 * A small Seldon for the seldon step's tests, on 127.0.0.1: the scheduler API over grpc-js (from the shipped protos),
 * a Kafka broker (the sandbox's) holding one run of the pipeline `tfsimple`, and an Open Inference Protocol endpoint
 * over REST (node:http) and gRPC that answers the iris model with class 2 and names the answering version in
 * `x-seldon-route`.
 */
import http from 'node:http';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { StepContext } from '../../../src/core/step.js';
import { stepContext } from '../context.js';
import { MemoryTopicLog } from '../../../src/sandbox/dataplane/pipelines/topic-log.js';
import { startKafkaListener } from '../../../src/sandbox/kafka/listener.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LOADER = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, includeDirs: [] };

type Obj = Record<string, unknown>;

function service(file: string, name: string): grpc.ServiceDefinition {
  const def = protoLoader.loadSync(path.join(ROOT, file), LOADER);
  return def[name] as grpc.ServiceDefinition;
}

export interface FakeSeldon {
  schedulerHost: string;
  inferenceHost: string;
  grpcInferenceHost: string;
  /** The Kafka broker's `127.0.0.1:PORT`. */
  kafkaBroker: string;
  /** Requests the scheduler received, by method. */
  calls: { method: string; request: Obj }[];
  /** Headers of the REST inference requests. */
  restHeaders: http.IncomingHttpHeaders[];
  models: Map<string, Obj>;
  /** Routes the inference endpoint answers with, in turn (`a|b`: two x-seldon-route values). */
  routes: string[];
  /** The gRPC inference answer (keepCase names); the iris answer with its class as a raw buffer unless set. */
  grpcAnswer: { current: Obj };
  close(): Promise<void>;
}

const STAMP = { seconds: '1688047504', nanos: 460000000 };

export async function startFakeSeldon(): Promise<FakeSeldon> {
  const calls: FakeSeldon['calls'] = [];
  const models = new Map<string, Obj>();
  const pipelines = new Map<string, Obj>();
  const routes: string[] = [':iris_1:'];
  let turn = 0;
  const route = () => routes[turn++ % routes.length]!;
  const note = (method: string, request: Obj) => calls.push({ method, request });
  const server = new grpc.Server();
  const raw = Buffer.alloc(8);
  raw.writeBigInt64LE(2n);
  const grpcAnswer = { current: { model_name: 'iris_1', model_version: '1', outputs: [{ name: 'predict', datatype: 'INT64', shape: ['1', '1'] }], raw_output_contents: [raw] } as Obj };
  const unary = (method: string, fn: (req: Obj) => Obj | grpc.ServiceError) => (call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) => {
    note(method, call.request);
    const out = fn(call.request);
    if (out instanceof Error) cb(out);
    else cb(null, out);
  };
  const failed = (code: grpc.status, details: string): grpc.ServiceError => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
  const stream = (method: string, fn: (req: Obj) => Obj[] | grpc.ServiceError) => (call: grpc.ServerWritableStream<Obj, Obj>) => {
    note(method, call.request);
    const out = fn(call.request);
    if (out instanceof Error) return void call.emit('error', out);
    for (const o of out) call.write(o);
    call.end();
  };
  const modelStatus = (name: string): Obj => ({
    modelName: name,
    versions: [{ version: 1, serverName: 'mlserver', kubernetesMeta: {}, state: { state: 'ModelAvailable', availableReplicas: 1, lastChangeTimestamp: STAMP } }],
  });
  server.addService(service('runbooks/apis/mlops/scheduler/scheduler.proto', 'seldon.mlops.scheduler.Scheduler'), {
    LoadModel: unary('LoadModel', (req) => {
      const model = req.model as { meta: { name: string } };
      models.set(model.meta.name, model);
      return {};
    }),
    UnloadModel: unary('UnloadModel', (req) => {
      const name = (req.model as { name: string }).name;
      if (!models.delete(name)) return failed(grpc.status.FAILED_PRECONDITION, `Model ${name} not found`);
      return {};
    }),
    LoadPipeline: unary('LoadPipeline', (req) => {
      const p = req.pipeline as { name: string };
      pipelines.set(p.name, p);
      return {};
    }),
    UnloadPipeline: unary('UnloadPipeline', () => ({})),
    StartExperiment: unary('StartExperiment', () => ({})),
    StopExperiment: unary('StopExperiment', () => ({})),
    SchedulerStatus: unary('SchedulerStatus', () => ({ applicationVersion: 'fake' })),
    ModelStatus: stream('ModelStatus', (req) => {
      const name = (req.model as { name?: string } | undefined)?.name;
      if (name === undefined) return [...models.keys()].map(modelStatus);
      return models.has(name) ? [modelStatus(name)] : failed(grpc.status.FAILED_PRECONDITION, `Failed to find model ${name}`);
    }),
    PipelineStatus: stream('PipelineStatus', (req) => {
      const name = req.name as string | undefined;
      const one = (p: Obj) => ({
        pipelineName: p.name,
        versions: [{ pipeline: { ...p, uid: 'ciep26qi8ufs73flaiqg', version: 1 }, state: { pipelineVersion: 1, status: 'PipelineReady', reason: 'created pipeline', lastChangeTimestamp: STAMP, modelsReady: true } }],
      });
      if (name === undefined) return [...pipelines.values()].map(one);
      const p = pipelines.get(name);
      return p ? [one(p)] : failed(grpc.status.FAILED_PRECONDITION, `Failed to find pipeline ${name}`);
    }),
    ExperimentStatus: stream('ExperimentStatus', (req) => [
      { experimentName: req.name ?? 'ab', active: true, candidatesReady: true, mirrorReady: true, statusDescription: 'experiment active', kubernetesMeta: {} },
    ]),
    ServerStatus: stream('ServerStatus', () => [{ serverName: 'mlserver', availableReplicas: 1, numLoadedModelReplicas: models.size }]),
  });
  server.addService(service('runbooks/apis/mlops/v2_dataplane/v2_dataplane.proto', 'inference.GRPCInferenceService'), {
    ModelInfer: (call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) => {
      note('ModelInfer', { ...call.request, metadata: call.metadata.getMap() });
      const md = new grpc.Metadata();
      // `a|b`: two x-seldon-route values, as a pipeline answers (its models', then `:NAME.pipeline:`).
      for (const value of route().split('|')) md.add('x-seldon-route', value);
      call.sendMetadata(md);
      cb(null, grpcAnswer.current);
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));

  // One request through `tfsimple` (its model's topics, then the pipeline's output), as Seldon writes it to Kafka.
  const topics = new MemoryTopicLog();
  const key = 'cg5g6ogfh5ss73a44vvg';
  const tensor = (name: string, values: number[]) => ({ name, datatype: 'INT32', shape: ['1', '4'], contents: { intContents: values } });
  topics.append('seldon.default.model.tfsimple1.inputs', key, () => ({ inputs: [tensor('INPUT0', [1, 2, 3, 4])] }), () => ({ 'x-request-id': ['test-id'], pipeline: ['tfsimple'] }));
  topics.append('seldon.default.model.tfsimple1.outputs', key, () => ({ modelName: 'tfsimple1_1', outputs: [tensor('OUTPUT0', [2, 4, 6, 8]), tensor('OUTPUT1', [0, 0, 0, 0])] }), () => ({ pipeline: ['tfsimple'] }));
  topics.append('seldon.default.pipeline.tfsimple.outputs', key, () => ({ outputs: [{ name: 'OUTPUT0' }] }), () => ({ pipeline: ['tfsimple'] }));
  const kafka = await startKafkaListener({ topics });

  const restHeaders: http.IncomingHttpHeaders[] = [];
  const rest = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      restHeaders.push(req.headers);
      try {
        JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'Unexpected token in JSON payload' }));
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-seldon-route': route().split('|') });
      res.end('{"model_name":"iris_1","model_version":"1","id":"d3b5d8ea-7e7a-4a6d-9b0c-3a0e3c2f1b11","parameters":{},"outputs":[{"name":"predict","shape":[1,1],"datatype":"INT64","parameters":{"content_type":"np"},"data":[2]}]}');
    });
  });
  const restPort = await new Promise<number>((resolve) => rest.listen(0, '127.0.0.1', () => resolve((rest.address() as { port: number }).port)));
  return {
    schedulerHost: `127.0.0.1:${port}`,
    inferenceHost: `127.0.0.1:${restPort}`,
    grpcInferenceHost: `127.0.0.1:${port}`,
    kafkaBroker: `127.0.0.1:${kafka.port}`,
    calls,
    restHeaders,
    models,
    routes,
    grpcAnswer,
    close: async () => {
      rest.close();
      await kafka.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

/** A step context for the fake: no cluster, variables as given, output collected. */
export function fakeContext(cwd: string, vars: Record<string, string>): StepContext {
  return stepContext({ cwd, vars: { KUBECONFIG: path.join(cwd, 'no-kubeconfig'), ...vars } });
}

export async function closeCache(cache: Map<string, unknown>): Promise<void> {
  for (const v of cache.values()) await Promise.resolve((v as { close?: () => unknown }).close?.()).catch(() => undefined);
}
