/** What a model of the zoo is: where Seldon's samples keep it, what it declares, and what it computes. */
import type { TensorMetadata } from '../../types.js';
import type { Tensor } from '../tensor.js';

/** The inference server that runs a model in Seldon's samples: each checks inputs and words errors its own way. */
export type ServerKind = 'mlserver' | 'triton';

/** A model whose behaviour is known exactly. */
export interface KnownModel {
  kind: 'known';
  /** The sample's name, e.g. `tfsimple`. */
  id: string;
  uris: readonly RegExp[];
  server: ServerKind;
  /** The capabilities Seldon's sample Model asks for. */
  requirements: readonly string[];
  platform: string;
  /** As the model's metadata lists them (Triton: the batch dimension shows as -1). */
  inputs: readonly TensorMetadata[];
  outputs: readonly TensorMetadata[];
  /** Triton's `max_batch_size`: 0 when the config has none (shapes must match `inputs` exactly). */
  maxBatchSize?: number;
  /** Readies what `run` needs (loading it lazily keeps the sandbox's start fast); the registry awaits it on load. */
  prepare?(): Promise<void>;
  /** Computes the outputs from inputs the server has already checked. */
  run(inputs: ReadonlyMap<string, Tensor>): Tensor[];
}

/** A sample artefact whose behaviour the sandbox cannot know: loading it fails, saying why. */
export interface UnavailableModel {
  kind: 'unavailable';
  id: string;
  uris: readonly RegExp[];
  why: string;
}

export type ZooEntry = KnownModel | UnavailableModel;

/** The named input, which the server has checked is present. */
export function input(inputs: ReadonlyMap<string, Tensor>, name: string): Tensor {
  const tensor = inputs.get(name);
  if (!tensor) throw new Error(`input ${name} missing after the server's checks`);
  return tensor;
}

/** FP32 arithmetic as numpy does it: each result rounded to single precision. */
export const fp32 = (value: number): number => Math.fround(value);
