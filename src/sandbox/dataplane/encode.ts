/**
 * Inference answers as each server writes them: REST bodies (key order and number forms included), gRPC
 * messages for proto-loader (field names as in the proto), and the protojson of Seldon's topic messages.
 */
import { dataJson, float32Shortest } from './json-numbers.js';
import type { ServerKind } from './models/model.js';
import type { InferResult, Tensor, TensorValue } from './tensor.js';

/** Who answers: a model's server, or Seldon's pipeline gateway. */
export type Answerer = ServerKind | 'pipeline';

/** The REST body of an answer. `id` is what MLServer echoes (a fresh UUID when the caller sent none). */
export function restBody(answerer: Answerer, result: InferResult): string {
  switch (answerer) {
    case 'mlserver': {
      // Key order and nulls as MLServer 1.x serialised them in 2022.
      const outputs = result.outputs.map(
        (o) => `{"name":${JSON.stringify(o.name)},"shape":${JSON.stringify(o.shape)},"datatype":${JSON.stringify(o.datatype)},"parameters":null,"data":${dataJson(o, 'plain')}}`,
      );
      return `{"model_name":${JSON.stringify(result.modelName)},"model_version":${JSON.stringify(result.modelVersion ?? '')},"id":${JSON.stringify(result.id ?? '')},"parameters":null,"outputs":[${outputs.join(',')}]}`;
    }
    case 'triton': {
      const outputs = result.outputs.map(
        (o) => `{"name":${JSON.stringify(o.name)},"datatype":${JSON.stringify(o.datatype)},"shape":${JSON.stringify(o.shape)},"data":${dataJson(o, 'triton')}}`,
      );
      const id = result.id ? `,"id":${JSON.stringify(result.id)}` : '';
      return `{"model_name":${JSON.stringify(result.modelName)},"model_version":${JSON.stringify(result.modelVersion ?? '')}${id},"outputs":[${outputs.join(',')}]}`;
    }
    case 'pipeline': {
      // Seldon's gateway converts the pipeline's output message with Go's encoding/json: its struct's order.
      const outputs = result.outputs.map(
        (o) => `{"data":${dataJson(o, 'go')},"name":${JSON.stringify(o.name)},"shape":${JSON.stringify(o.shape)},"datatype":${JSON.stringify(o.datatype)}}`,
      );
      return `{"model_name":"","outputs":[${outputs.join(',')}]}`;
    }
  }
}

/** The typed `contents` field each datatype uses, in the proto's and in protojson's names. */
const CONTENTS: Record<string, [proto: string, json: string]> = {
  BOOL: ['bool_contents', 'boolContents'],
  INT8: ['int_contents', 'intContents'], INT16: ['int_contents', 'intContents'], INT32: ['int_contents', 'intContents'],
  INT64: ['int64_contents', 'int64Contents'],
  UINT8: ['uint_contents', 'uintContents'], UINT16: ['uint_contents', 'uintContents'], UINT32: ['uint_contents', 'uintContents'],
  UINT64: ['uint64_contents', 'uint64Contents'],
  FP32: ['fp32_contents', 'fp32Contents'], FP64: ['fp64_contents', 'fp64Contents'],
  BYTES: ['bytes_contents', 'bytesContents'],
};

export const contentsField = (datatype: string): [string, string] | undefined => CONTENTS[datatype];

/** Little-endian bytes of a fixed-size tensor, as raw_*_contents carry it. */
export function rawBytes(tensor: Tensor): Buffer {
  const n = tensor.data.length;
  const num = (i: number): number => Number(tensor.data[i]);
  switch (tensor.datatype) {
    case 'BOOL':
    case 'UINT8':
      return Buffer.from(tensor.data.map((v) => Number(v)));
    case 'INT8':
      return Buffer.from(Int8Array.from(tensor.data.map(Number)).buffer);
    case 'INT16': {
      const b = Buffer.alloc(n * 2);
      for (let i = 0; i < n; i++) b.writeInt16LE(num(i), i * 2);
      return b;
    }
    case 'UINT16': {
      const b = Buffer.alloc(n * 2);
      for (let i = 0; i < n; i++) b.writeUInt16LE(num(i), i * 2);
      return b;
    }
    case 'INT32': {
      const b = Buffer.alloc(n * 4);
      for (let i = 0; i < n; i++) b.writeInt32LE(num(i), i * 4);
      return b;
    }
    case 'UINT32': {
      const b = Buffer.alloc(n * 4);
      for (let i = 0; i < n; i++) b.writeUInt32LE(num(i), i * 4);
      return b;
    }
    case 'INT64': {
      const b = Buffer.alloc(n * 8);
      for (let i = 0; i < n; i++) b.writeBigInt64LE(BigInt(num(i)), i * 8);
      return b;
    }
    case 'UINT64': {
      const b = Buffer.alloc(n * 8);
      for (let i = 0; i < n; i++) b.writeBigUInt64LE(BigInt(num(i)), i * 8);
      return b;
    }
    case 'FP32': {
      const b = Buffer.alloc(n * 4);
      for (let i = 0; i < n; i++) b.writeFloatLE(num(i), i * 4);
      return b;
    }
    case 'FP64': {
      const b = Buffer.alloc(n * 8);
      for (let i = 0; i < n; i++) b.writeDoubleLE(num(i), i * 8);
      return b;
    }
    default:
      return Buffer.concat(tensor.data.map((v) => Buffer.from(String(v))));
  }
}

/** A ModelInferResponse for proto-loader (keepCase names). Triton's and raw tensors travel as raw_output_contents. */
export function grpcResponse(result: InferResult): Record<string, unknown> {
  const raw = result.outputs.length > 0 && result.outputs.every((o) => o.raw);
  const message: Record<string, unknown> = { model_name: result.modelName };
  if (result.modelVersion) message.model_version = result.modelVersion;
  // proto3 leaves an empty id off the wire.
  if (result.id) message.id = result.id;
  message.outputs = result.outputs.map((o) => {
    const tensor: Record<string, unknown> = { name: o.name, datatype: o.datatype, shape: o.shape };
    const field = CONTENTS[o.datatype]?.[0];
    if (!raw && field) tensor.contents = { [field]: o.data };
    return tensor;
  });
  if (raw) message.raw_output_contents = result.outputs.map(rawBytes);
  return message;
}

function protojsonTensor(tensor: Tensor): Record<string, unknown> {
  const field = CONTENTS[tensor.datatype]?.[1] ?? 'bytesContents';
  // protojson writes int64 and uint64 as strings, the rest as numbers.
  const wide = tensor.datatype === 'INT64' || tensor.datatype === 'UINT64';
  // Go writes a float32 in its shortest form; a JS number holding it prints as that form.
  const single = tensor.datatype === 'FP32' || tensor.datatype === 'FP16';
  const values = tensor.data.map((v): TensorValue => (wide ? String(v) : single && typeof v === 'number' ? Number(float32Shortest(v)) : v));
  return { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape.map(String), contents: { [field]: values } };
}

/**
 * A topic message as `seldon pipeline inspect` prints it: typed contents always (the CLI fills them from raw
 * bytes), and a request's `rawInputContents` kept when its tensors came raw from the previous step.
 */
export function topicRequest(inputs: Tensor[]): Record<string, unknown> {
  const message: Record<string, unknown> = { inputs: inputs.map(protojsonTensor) };
  if (inputs.length > 0 && inputs.every((t) => t.raw)) message.rawInputContents = inputs.map((t) => rawBytes(t).toString('base64'));
  return message;
}

/** A response on a model's outputs topic (`modelName`, `modelVersion`) or a pipeline's (neither). */
export function topicResponse(outputs: Tensor[], model?: { name: string; version: string }): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  if (model) {
    message.modelName = model.name;
    message.modelVersion = model.version;
  }
  message.outputs = outputs.map(protojsonTensor);
  return message;
}
