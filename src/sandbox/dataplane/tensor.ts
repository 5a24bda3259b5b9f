/** Tensors as the data plane passes them between protocols, servers and pipeline steps. */

export type TensorValue = number | boolean | string;

/** One OIP tensor, data flattened row-major. */
export interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: TensorValue[];
  /**
   * True when the tensor travelled as raw little-endian bytes (Triton answers gRPC with raw_output_contents):
   * Seldon passes such tensors on to the next step as raw_input_contents, which its topics show.
   */
  raw?: boolean;
}

/** An inference request after decoding, whichever protocol it came by. */
export interface InferRequest {
  id?: string;
  inputs: Tensor[];
  /** Names of the outputs the caller asked for; absent: all. */
  outputs?: string[];
}

/** An inference answer before encoding. */
export interface InferResult {
  /** The served name (`tfsimple1_1`), or '' for a pipeline's answer. */
  modelName: string;
  modelVersion?: string;
  id?: string;
  outputs: Tensor[];
}

/** An error the server answers with: 400 bad request, 404 missing model, 405 wrong method, 500 failure in a model or pipeline, 504 a pipeline whose output never comes. */
export class InferenceError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 500 | 504,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Seldon's Envoy has no route for the request's `seldon-model` header: Seldon adds one route per loaded model,
 * pipeline and experiment, so an unknown or missing name never reaches a server. Envoy answers it itself, an
 * empty 404 (a gRPC caller gets 12 UNIMPLEMENTED, as Envoy maps its 404), and the message is for logs only.
 */
export class NoMeshRoute extends InferenceError {
  constructor(message: string) {
    super(404, message);
  }
}

export const elementCount = (shape: readonly number[]): number => shape.reduce((product, dim) => product * dim, 1);

/** Bytes per element of each fixed-size datatype (BYTES has none). */
export const BYTE_SIZE: Readonly<Record<string, number>> = {
  BOOL: 1, UINT8: 1, UINT16: 2, UINT32: 4, UINT64: 8, INT8: 1, INT16: 2, INT32: 4, INT64: 8, FP16: 2, FP32: 4, FP64: 8,
};
