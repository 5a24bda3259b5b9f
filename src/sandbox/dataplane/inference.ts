/**
 * The inference server behind the mesh (MLServer with the sklearn runtime, as of 2022), independent of REST or
 * gRPC: both protocols decode into these tensors and encode the result back.
 */
import type { LoadedModel } from './registry.js';

/** An error the server answers with: 400 for a bad request, 404 for a missing model, 405 for a wrong method; gRPC maps them to codes. */
export class InferenceError extends Error {
  constructor(
    readonly status: 400 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

const NUMERIC = new Set<string>([
  'BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64',
]);

export interface InputTensor {
  name: string;
  datatype: string;
  shape: number[];
  /** Flattened, row-major. */
  data: ArrayLike<number | boolean | bigint>;
}

export interface InferRequest {
  id?: string;
  inputs: InputTensor[];
}

export interface OutputTensor {
  name: string;
  datatype: 'INT64';
  shape: number[];
  data: number[];
}

export interface InferResult {
  modelName: string;
  modelVersion: string;
  id: string;
  outputs: OutputTensor[];
}

/** Runs the iris classifier on the first input tensor, read as rows of four features. */
export function infer(model: LoadedModel, request: InferRequest): InferResult {
  const input = request.inputs[0];
  if (!input) throw new InferenceError(400, 'Inference request must contain at least one input');
  if (!NUMERIC.has(input.datatype)) {
    throw new InferenceError(400, `Unsupported datatype ${input.datatype} for input ${input.name}`);
  }
  const size = input.shape.reduce((product, dim) => product * dim, 1);
  if (input.shape.some((dim) => !Number.isInteger(dim) || dim < 0) || size !== input.data.length) {
    throw new InferenceError(
      400,
      `Input ${input.name} has shape [${input.shape.join(', ')}] but ${input.data.length} elements`,
    );
  }
  const width = model.classifier.features;
  const lastDim = input.shape.length > 1 ? input.shape[input.shape.length - 1] : input.shape[0];
  if (lastDim !== width || size % width !== 0) {
    throw new InferenceError(
      400,
      `X has ${lastDim ?? 0} features, but DecisionTreeClassifier is expecting ${width} features as input.`,
    );
  }
  const rows: number[][] = [];
  for (let start = 0; start < size; start += width) {
    const row = new Array<number>(width);
    for (let i = 0; i < width; i++) row[i] = Number(input.data[start + i]);
    rows.push(row);
  }
  const data = model.classifier.predict(rows);
  return {
    modelName: model.servedName,
    modelVersion: String(model.version),
    // The caller's id; REST fills in a fresh UUID when it is empty, gRPC leaves it empty as MLServer does.
    id: request.id ?? '',
    outputs: [{ name: 'predict', datatype: 'INT64', shape: [rows.length], data }],
  };
}

/** The OIP model metadata of a loaded iris model. */
export function modelMetadata(model: LoadedModel): {
  name: string;
  versions: string[];
  platform: string;
  inputs: { name: string; datatype: string; shape: number[] }[];
  outputs: { name: string; datatype: string; shape: number[] }[];
} {
  return {
    name: model.servedName,
    versions: [String(model.version)],
    platform: 'sklearn',
    inputs: [{ name: 'predict', datatype: 'FP32', shape: [-1, model.classifier.features] }],
    outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1] }],
  };
}

/** What `GET /v2` and ServerMetadata report: the 2022 MLServer behind Seldon. */
export const SERVER_METADATA = { name: 'mlserver', version: '1.1.0', extensions: [] as string[] };

/** A version in a request path or message must name the loaded version, when given. */
export function checkVersion(model: LoadedModel, version: string | undefined): void {
  if (version && version !== String(model.version)) {
    throw new InferenceError(404, `Model ${model.name} with version ${version} not found`);
  }
}
