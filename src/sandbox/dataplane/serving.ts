/**
 * One inference on a loaded model, as its server runs it: Triton checks the request against the model's config
 * first; MLServer hands the inputs to the runtime, whose own errors are the checks.
 */
import type { LoadedModel } from './registry.js';
import { requestedOutputs, tritonInputs } from './servers/triton.js';
import { InferenceError, type InferRequest, type InferResult, type Tensor } from './tensor.js';

/** Runs `request` on `loaded`; throws InferenceError with the server's message. */
export function inferModel(loaded: LoadedModel, request: InferRequest): InferResult {
  const { model } = loaded;
  let outputs: Tensor[];
  switch (model.server) {
    case 'triton': {
      const inputs = tritonInputs(model, loaded.servedName, request);
      // Triton answers gRPC with raw bytes; Seldon passes them on raw (its topics show rawInputContents).
      outputs = requestedOutputs(model.run(inputs), request.outputs);
      for (const output of outputs) output.raw = true;
      break;
    }
    case 'mlserver': {
      if (request.inputs.length === 0) throw new InferenceError(400, 'Inference request must contain at least one input');
      outputs = model.run(new Map(request.inputs.map((t) => [t.name, t])));
      break;
    }
  }
  return { modelName: loaded.servedName, modelVersion: String(loaded.version), id: request.id, outputs };
}

/** A version in a request path or message must name the loaded version, when given. */
export function checkVersion(model: LoadedModel, version: string | undefined): void {
  if (version && version !== String(model.version)) {
    throw new InferenceError(404, `Model ${model.name} with version ${version} not found`);
  }
}

/** The OIP model metadata of a loaded model. */
export function modelMetadata(loaded: LoadedModel): {
  name: string;
  versions: string[];
  platform: string;
  inputs: { name: string; datatype: string; shape: number[] }[];
  outputs: { name: string; datatype: string; shape: number[] }[];
} {
  const copy = (t: { name: string; datatype: string; shape: readonly number[] }) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] });
  return {
    name: loaded.servedName,
    versions: [String(loaded.version)],
    platform: loaded.model.platform,
    inputs: loaded.model.inputs.map(copy),
    outputs: loaded.model.outputs.map(copy),
  };
}
