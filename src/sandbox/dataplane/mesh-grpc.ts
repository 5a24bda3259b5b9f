/**
 * `inference.GRPCInferenceService` as the Seldon mesh serves it: the `seldon-model` header (set by the
 * VirtualService or the caller) picks the model, pipeline or experiment; its server answers. Repository RPCs
 * are not served by Seldon's mesh.
 */
import * as protoLoader from '@grpc/proto-loader';
import type { IncomingHttpHeaders } from 'node:http2';
import { contentsField, grpcResponse } from './encode.js';
import { GrpcMethods, Status, type GrpcError, type MethodDefinition, type StreamCall, type UnaryCallback, type UnaryCall } from './grpc-wire.js';
import type { Mesh, Resolved } from './mesh.js';
import { grpcCallContext, type GrpcCallContext } from './mesh-grpc-context.js';
import { findInferenceProto } from './proto-file.js';
import { addReflection } from './reflection.js';
import { SERVER_METADATA } from './server-metadata.js';
import { checkVersion, modelMetadata } from './serving.js';
import { InferenceError, NoMeshRoute, type InferRequest, type Tensor, type TensorValue } from './tensor.js';

interface InferTensorMessage {
  name?: string;
  datatype?: string;
  shape?: number[];
  contents?: Record<string, unknown[] | undefined>;
}

interface ModelInferMessage {
  model_name?: string;
  model_version?: string;
  id?: string;
  inputs?: InferTensorMessage[];
  outputs?: Array<{ name?: string }>;
  raw_input_contents?: Buffer[];
}


/** Little-endian element readers for raw_input_contents. */
const RAW: Record<string, [number, (b: Buffer, offset: number) => number]> = {
  BOOL: [1, (b, o) => b.readUInt8(o)],
  INT8: [1, (b, o) => b.readInt8(o)], INT16: [2, (b, o) => b.readInt16LE(o)], INT32: [4, (b, o) => b.readInt32LE(o)],
  INT64: [8, (b, o) => Number(b.readBigInt64LE(o))],
  UINT8: [1, (b, o) => b.readUInt8(o)], UINT16: [2, (b, o) => b.readUInt16LE(o)], UINT32: [4, (b, o) => b.readUInt32LE(o)],
  UINT64: [8, (b, o) => Number(b.readBigUInt64LE(o))],
  FP32: [4, (b, o) => b.readFloatLE(o)], FP64: [8, (b, o) => b.readDoubleLE(o)],
};

let definition: protoLoader.PackageDefinition | undefined;

/** The inference proto, loaded once per process (field names as written: model_name, fp32_contents). */
export function inferencePackage(): protoLoader.PackageDefinition {
  definition ??= protoLoader.loadSync(findInferenceProto(), { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true });
  return definition;
}

/** The gRPC methods the mesh serves: the inference service and server reflection. */
export function meshGrpcMethods(mesh: Mesh): GrpcMethods {
  const pkg = inferencePackage();
  const methods = new GrpcMethods();
  const service = pkg['inference.GRPCInferenceService'] as unknown as Record<string, MethodDefinition>;
  methods.addService(service, inferenceImplementation(mesh));
  addReflection(methods, pkg);
  return methods;
}

function contextOf(metadata: IncomingHttpHeaders): GrpcCallContext {
  return grpcCallContext.get(metadata) ?? { namespace: 'seldon-mesh', responseHeaders: [] };
}

function resolve(mesh: Mesh, metadata: IncomingHttpHeaders): Resolved {
  const header = metadata['seldon-model'];
  const route = metadata['x-seldon-route'];
  const routes = route === undefined ? [] : (Array.isArray(route) ? route : [route]).flatMap((v) => v.split(', '));
  return mesh.resolve(contextOf(metadata).namespace, Array.isArray(header) ? header[0] : header, routes);
}

function inferenceImplementation(mesh: Mesh): Record<string, unknown> {
  const unary =
    (answer: (request: Record<string, unknown>, resolved: Resolved, metadata: IncomingHttpHeaders) => unknown) =>
    (call: UnaryCall, callback: UnaryCallback): void => {
      try {
        const resolved = resolve(mesh, call.metadata);
        if (resolved.target.kind === 'model') contextOf(call.metadata).responseHeaders.push(['seldon-route', resolved.target.model.servedName]);
        Promise.resolve(answer(call.request as Record<string, unknown>, resolved, call.metadata)).then(
          (value) => callback(null, value),
          (error: unknown) => callback(toGrpcError(error)),
        );
      } catch (error) {
        callback(toGrpcError(error));
      }
    };
  const modelOnly = (resolved: Resolved, version: unknown) => {
    if (resolved.target.kind !== 'model') throw new InferenceError(404, 'Not Found');
    checkVersion(resolved.target.model, version as string | undefined);
    return resolved.target.model;
  };
  const unimplemented = (call: UnaryCall, callback: UnaryCallback): void => {
    void call;
    callback({ code: Status.UNIMPLEMENTED, details: 'repository operations are not served through the Seldon mesh' });
  };
  return {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: true })),
    ServerMetadata: unary((_request, resolved) => SERVER_METADATA[resolved.target.kind === 'model' ? resolved.target.model.model.server : 'mlserver']),
    ModelReady: unary((request, resolved) => {
      if (resolved.target.kind === 'model') checkVersion(resolved.target.model, request.version as string | undefined);
      return { ready: true };
    }),
    ModelMetadata: unary((request, resolved) => modelMetadata(modelOnly(resolved, request.version))),
    ModelInfer: unary((request, resolved, metadata) => modelInfer(mesh, request, resolved, metadata)),
    ModelStreamInfer: (call: StreamCall) => {
      // Answers go out in request order, and the call ends after the last one.
      let queue: Promise<void> = Promise.resolve();
      call.on('data', (request: ModelInferMessage) => {
        queue = queue.then(() =>
          Promise.resolve()
            .then(() => modelInfer(mesh, request, resolve(mesh, call.metadata), call.metadata))
            .then(
              (value) => void call.write(value),
              (error: unknown) => call.fail(toGrpcError(error)),
            ),
        );
      });
      call.on('end', () => void queue.then(() => call.end()));
    },
    RepositoryIndex: unimplemented,
    RepositoryModelLoad: unimplemented,
    RepositoryModelUnload: unimplemented,
  };
}

async function modelInfer(mesh: Mesh, message: ModelInferMessage, resolved: Resolved, metadata: IncomingHttpHeaders): Promise<unknown> {
  if (resolved.target.kind === 'model') checkVersion(resolved.target.model, message.model_version);
  const context = contextOf(metadata);
  const requestId = metadata['x-request-id'];
  const answer = await mesh.infer(context.namespace, resolved, decodeRequest(message), Array.isArray(requestId) ? requestId[0] : requestId);
  context.responseHeaders.push(...answer.headers);
  return grpcResponse(answer.result);
}

/** A ModelInferRequest as tensors: typed contents, or raw_input_contents when present. */
export function decodeRequest(message: ModelInferMessage): InferRequest {
  const raw = message.raw_input_contents ?? [];
  const inputs = (message.inputs ?? []).map((tensor, index): Tensor => {
    const datatype = tensor.datatype ?? '';
    const bytes = raw[index];
    return {
      name: tensor.name ?? '',
      datatype,
      shape: (tensor.shape ?? []).map(Number),
      data: bytes && bytes.length > 0 ? rawData(tensor, datatype, bytes) : typedData(tensor, datatype),
      ...(bytes && bytes.length > 0 ? { raw: true } : {}),
    };
  });
  const outputs = message.outputs?.flatMap((o) => (o.name ? [o.name] : []));
  return { id: message.id, inputs, ...(outputs && outputs.length > 0 ? { outputs } : {}) };
}

function rawData(tensor: InferTensorMessage, datatype: string, raw: Buffer): number[] {
  const reader = RAW[datatype];
  if (!reader) throw new InferenceError(400, `Unsupported datatype ${datatype} in raw_input_contents`);
  const [width, read] = reader;
  if (raw.length % width !== 0) throw new InferenceError(400, `raw_input_contents of ${tensor.name} is not a whole number of ${datatype}`);
  return Array.from({ length: raw.length / width }, (_, i) => read(raw, i * width));
}

function typedData(tensor: InferTensorMessage, datatype: string): TensorValue[] {
  const field = contentsField(datatype)?.[0];
  if (!field) throw new InferenceError(400, `Unsupported datatype ${datatype} for input ${tensor.name}`);
  return (tensor.contents?.[field] ?? []).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : (v as TensorValue)));
}

function toGrpcError(error: unknown): GrpcError {
  // Seldon's Envoy has no route for the name: its 404, mapped as Envoy maps it for gRPC callers, with no message.
  if (error instanceof NoMeshRoute) return { code: Status.UNIMPLEMENTED, details: '' };
  if (error instanceof InferenceError) {
    const code = error.status === 404 ? Status.NOT_FOUND : error.status === 504 ? Status.UNAVAILABLE : error.status === 500 ? Status.INTERNAL : Status.INVALID_ARGUMENT;
    return { code, details: error.message };
  }
  return { code: Status.INTERNAL, details: String((error as Error)?.message ?? error) };
}
