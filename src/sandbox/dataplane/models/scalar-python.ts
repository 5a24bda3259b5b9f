/**
 * The shape of Seldon's small Triton Python models add10, mul10 and add20 (SeldonIO/triton-python-examples):
 * `backend: "python"`, no batching, INPUT FP32 [4] → OUTPUT FP32 [4], one numpy operation per element.
 */
import type { KnownModel } from './model.js';
import { fp32, input } from './model.js';

/** A python-backend model applying `op` to each element of INPUT. */
export function scalarPythonModel(id: string, uris: readonly RegExp[], op: (x: number) => number): KnownModel {
  return {
    kind: 'known',
    id,
    uris,
    server: 'triton',
    requirements: ['triton', 'python'],
    platform: 'python',
    maxBatchSize: 0,
    inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [4] }],
    outputs: [{ name: 'OUTPUT', datatype: 'FP32', shape: [4] }],
    run(inputs) {
      const x = input(inputs, 'INPUT');
      return [{ name: 'OUTPUT', datatype: 'FP32', shape: [...x.shape], data: x.data.map((v) => fp32(op(Number(v)))) }];
    },
  };
}

/** Seldon's URIs for a python example: the 2022 folder and the versioned scv2 sample folders. */
export function pythonExampleUris(name: string): RegExp[] {
  return [new RegExp(`^gs://seldon-models/(?:scv2/samples/)?triton(?:_[\\w.-]+)?/${name}/?$`)];
}
