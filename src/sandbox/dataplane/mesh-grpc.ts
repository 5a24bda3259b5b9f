/**
 * `inference.GRPCInferenceService` as the Seldon mesh serves it: the `seldon-model` header (set by the
 * VirtualService) picks the loaded model, MLServer answers. Repository RPCs are not served by Seldon's mesh.
 */
import * as protoLoader from '@grpc/proto-loader';
import type { IncomingHttpHeaders } from 'node:http2';
import { GrpcMethods, Status, type GrpcError, type MethodDefinition, type StreamCall, type UnaryCallback, type UnaryCall } from './grpc-wire.js';
import { checkVersion, infer, InferenceError, modelMetadata, SERVER_METADATA, type InputTensor } from './inference.js';
import { findInferenceProto } from './proto-file.js';
import { MESH_NAMESPACE } from './mesh-rest.js';
import { addReflection } from './reflection.js';
import type { InMemoryModelRegistry, LoadedModel } from './registry.js';

interface TensorContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: number[];
  uint_contents?: number[];
  uint64_contents?: number[];
  fp32_contents?: number[];
  fp64_contents?: number[];
}

interface InferTensorMessage {
  name?: string;
  datatype?: string;
  shape?: number[];
  contents?: TensorContents;
}

interface ModelInferMessage {
  model_name?: string;
  model_version?: string;
  id?: string;
  inputs?: InferTensorMessage[];
  raw_input_contents?: Buffer[];
}

const CONTENTS_FIELD: Record<string, keyof TensorContents> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents', INT16: 'int_contents', INT32: 'int_contents', INT64: 'int64_contents',
  UINT8: 'uint_contents', UINT16: 'uint_contents', UINT32: 'uint_contents', UINT64: 'uint64_contents',
  FP32: 'fp32_contents', FP64: 'fp64_contents',
};

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
  definition ??= protoLoader.loadSync(findInferenceProto(), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  return definition;
}

/** The gRPC methods the mesh serves: the inference service and server reflection. */
export function meshGrpcMethods(registry: InMemoryModelRegistry): GrpcMethods {
  const pkg = inferencePackage();
  const methods = new GrpcMethods();
  const service = pkg['inference.GRPCInferenceService'] as unknown as Record<string, MethodDefinition>;
  methods.addService(service, inferenceImplementation(registry));
  addReflection(methods, pkg);
  return methods;
}

function inferenceImplementation(registry: InMemoryModelRegistry): Record<string, unknown> {
  const unary =
    (answer: (request: Record<string, unknown>, model: LoadedModel) => unknown) =>
    (call: UnaryCall, callback: UnaryCallback): void => {
      try {
        callback(null, answer(call.request as Record<string, unknown>, modelFor(registry, call.metadata)));
      } catch (error) {
        callback(toGrpcError(error));
      }
    };
  const unimplemented = (call: UnaryCall, callback: UnaryCallback): void => {
    void call;
    callback({ code: Status.UNIMPLEMENTED, details: 'repository operations are not served through the Seldon mesh' });
  };
  return {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: true })),
    ServerMetadata: unary(() => SERVER_METADATA),
    ModelReady: unary((request, model) => {
      checkVersion(model, request.version as string | undefined);
      return { ready: true };
    }),
    ModelMetadata: unary((request, model) => {
      checkVersion(model, request.version as string | undefined);
      return modelMetadata(model);
    }),
    ModelInfer: unary((request, model) => modelInfer(request, model)),
    ModelStreamInfer: (call: StreamCall) => {
      call.on('data', (request: ModelInferMessage) => {
        try {
          call.write(modelInfer(request, modelFor(registry, call.metadata)));
        } catch (error) {
          call.fail(toGrpcError(error));
        }
      });
      call.on('end', () => call.end());
    },
    RepositoryIndex: unimplemented,
    RepositoryModelLoad: unimplemented,
    RepositoryModelUnload: unimplemented,
  };
}

function modelFor(registry: InMemoryModelRegistry, metadata: IncomingHttpHeaders): LoadedModel {
  const header = metadata['seldon-model'];
  const name = Array.isArray(header) ? header[0] : header;
  const model = name ? registry.get(MESH_NAMESPACE, name) : undefined;
  if (!model) throw new InferenceError(404, name ? `Model ${name} not found` : 'No model named in seldon-model header');
  return model;
}

function modelInfer(request: ModelInferMessage, model: LoadedModel): unknown {
  checkVersion(model, request.model_version);
  const raw = request.raw_input_contents ?? [];
  const inputs = (request.inputs ?? []).map((tensor, index): InputTensor => {
    const datatype = tensor.datatype ?? '';
    const shape = tensor.shape ?? [];
    return { name: tensor.name ?? '', datatype, shape, data: tensorData(tensor, datatype, raw[index]) };
  });
  const result = infer(model, { id: request.id, inputs });
  return {
    model_name: result.modelName,
    model_version: result.modelVersion,
    // proto3 leaves an empty id off the wire, as MLServer does when the caller sent none.
    ...(result.id ? { id: result.id } : {}),
    outputs: result.outputs.map((o) => ({
      name: o.name,
      datatype: o.datatype,
      shape: o.shape,
      contents: { int64_contents: o.data },
    })),
  };
}

function tensorData(tensor: InferTensorMessage, datatype: string, raw: Buffer | undefined): number[] {
  if (raw && raw.length > 0) {
    const reader = RAW[datatype];
    if (!reader) throw new InferenceError(400, `Unsupported datatype ${datatype} in raw_input_contents`);
    const [width, read] = reader;
    if (raw.length % width !== 0) throw new InferenceError(400, `raw_input_contents of ${tensor.name} is not a whole number of ${datatype}`);
    return Array.from({ length: raw.length / width }, (_, i) => read(raw, i * width));
  }
  const field = CONTENTS_FIELD[datatype];
  if (!field) throw new InferenceError(400, `Unsupported datatype ${datatype} for input ${tensor.name}`);
  return (tensor.contents?.[field] ?? []).map(Number);
}

function toGrpcError(error: unknown): GrpcError {
  if (error instanceof InferenceError) {
    return { code: error.status === 404 ? Status.NOT_FOUND : Status.INVALID_ARGUMENT, details: error.message };
  }
  return { code: Status.INTERNAL, details: String((error as Error)?.message ?? error) };
}
