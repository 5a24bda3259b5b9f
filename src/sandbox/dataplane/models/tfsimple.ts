/**
 * Triton's `simple` example (gs://seldon-models/triton/simple, Seldon's tfsimple): a TensorFlow graphdef with
 * `max_batch_size: 8` taking INPUT0 and INPUT1 (INT32, 16 per row) and answering OUTPUT0 = INPUT0 + INPUT1 and
 * OUTPUT1 = INPUT0 - INPUT1, element by element.
 */
import type { KnownModel } from './model.js';
import { input } from './model.js';

/** INT32 arithmetic wraps as TensorFlow's does. */
const int32 = (value: number): number => value | 0;

export const tfsimple: KnownModel = {
  kind: 'known',
  id: 'tfsimple',
  uris: [/^gs:\/\/seldon-models\/(?:scv2\/samples\/)?triton(?:_[\w.-]+)?\/simple\/?$/],
  server: 'triton',
  requirements: ['tensorflow'],
  platform: 'tensorflow_graphdef',
  maxBatchSize: 8,
  inputs: [
    { name: 'INPUT0', datatype: 'INT32', shape: [-1, 16] },
    { name: 'INPUT1', datatype: 'INT32', shape: [-1, 16] },
  ],
  outputs: [
    { name: 'OUTPUT0', datatype: 'INT32', shape: [-1, 16] },
    { name: 'OUTPUT1', datatype: 'INT32', shape: [-1, 16] },
  ],
  run(inputs) {
    const a = input(inputs, 'INPUT0');
    const b = input(inputs, 'INPUT1');
    const at = (i: number): [number, number] => [Number(a.data[i]), Number(b.data[i])];
    return [
      { name: 'OUTPUT0', datatype: 'INT32', shape: [...a.shape], data: a.data.map((_, i) => int32(at(i)[0] + at(i)[1])) },
      { name: 'OUTPUT1', datatype: 'INT32', shape: [...a.shape], data: a.data.map((_, i) => int32(at(i)[0] - at(i)[1])) },
    ];
  },
};
