/**
 * Triton Inference Server's request checks, in the order its request normaliser runs them, with its messages
 * (prefixed `[request id: …]` as Triton logs them). A request that passes reaches the model with exactly the
 * declared inputs.
 */
import type { TensorMetadata } from '../../types.js';
import type { KnownModel } from '../models/model.js';
import { BYTE_SIZE, elementCount, InferenceError, type InferRequest, type Tensor } from '../tensor.js';

const dims = (shape: readonly number[]): string => `[${shape.join(',')}]`;

const BATCH_NOTE =
  'NOTE: Setting a non-zero max_batch_size in the model config requires a batch dimension to be prepended to each input shape. ' +
  'If you want to specify the full shape including the batch dim in your input dims config, try setting max_batch_size to zero. ' +
  'See the model configuration docs for more info on max_batch_size.';

/** Checks `request` against the model's config; returns its inputs by name. `served` is `<name>_<version>`. */
export function tritonInputs(model: KnownModel, served: string, request: InferRequest): Map<string, Tensor> {
  const log = `[request id: ${request.id || '<id_unknown>'}] `;
  const fail = (message: string): never => {
    throw new InferenceError(400, log + message);
  };
  for (const name of request.outputs ?? []) {
    if (!model.outputs.some((o) => o.name === name)) fail(`unexpected inference output '${name}' for model '${served}'`);
  }
  const given = new Map<string, Tensor>();
  for (const tensor of request.inputs) given.set(tensor.name, tensor);
  if (given.size !== model.inputs.length) {
    const missing = model.inputs.filter((i) => !given.has(i.name)).map((i) => `'${i.name}'`);
    const got = [...given.keys()].map((n) => `'${n}'`);
    fail(
      `expected ${model.inputs.length} inputs but got ${given.size} inputs for model '${served}'. ` +
        `Got inputs [${got.join(',')}], but missing required inputs [${missing.join(',')}]. Please provide all required inputs.`,
    );
  }
  const configOf = (name: string): TensorMetadata =>
    model.inputs.find((i) => i.name === name) ?? fail(`unexpected inference input '${name}' for model '${served}'`);
  const batching = (model.maxBatchSize ?? 0) > 0;
  if (batching) {
    let batch = 0;
    for (const tensor of given.values()) {
      configOf(tensor.name);
      if (tensor.shape.length === 0) fail(`input '${tensor.name}' has no shape but model requires batch dimension for '${served}'`);
      if (batch === 0) batch = tensor.shape[0] ?? 0;
      else if (tensor.shape[0] !== batch) fail(`input '${tensor.name}' batch size does not match other inputs for '${served}'`);
    }
    if (batch > (model.maxBatchSize ?? 0)) fail(`inference request batch-size must be <= ${model.maxBatchSize} for '${served}'`);
  }
  for (const tensor of given.values()) {
    const config = configOf(tensor.name);
    if (tensor.datatype !== config.datatype) {
      fail(`inference input '${tensor.name}' data-type is '${tensor.datatype}', but model '${served}' expects '${config.datatype}'`);
    }
    // The config's dims exclude the batch dimension, which metadata shows as a leading -1.
    const configDims = batching ? config.shape.slice(1) : config.shape;
    const inputDims = batching ? tensor.shape.slice(1) : tensor.shape;
    const matches = configDims.length === inputDims.length && configDims.every((d, i) => d === -1 || d === inputDims[i]);
    if (!matches) {
      fail(
        `unexpected shape for input '${tensor.name}' for model '${served}'. Expected ${dims(config.shape)}, got ${dims(tensor.shape)}. ` +
          (batching ? BATCH_NOTE : ''),
      );
    }
    const width = BYTE_SIZE[tensor.datatype] ?? 1;
    const expected = elementCount(tensor.shape) * width;
    const got = tensor.data.length * width;
    if (expected !== got) {
      fail(`input byte size mismatch for input '${tensor.name}' for model '${served}'. Expected ${expected}, got ${got}`);
    }
  }
  return given;
}

/** Keeps the outputs the caller asked for (all when none named), in the model's order. */
export function requestedOutputs(outputs: Tensor[], requested: readonly string[] | undefined): Tensor[] {
  if (!requested || requested.length === 0) return outputs;
  return outputs.filter((o) => requested.includes(o.name));
}
