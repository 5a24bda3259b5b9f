/**
 * conditional (gs://seldon-models/triton/conditional, SeldonIO/triton-python-examples): CHOICE INT32 [1],
 * INPUT0 and INPUT1 FP32 [4]. CHOICE 0 answers only OUTPUT0 = INPUT0; anything else only OUTPUT1 = INPUT1. The
 * missing output is what makes a pipeline's other branch not run.
 */
import type { KnownModel } from './model.js';
import { fp32, input } from './model.js';
import { pythonExampleUris } from './scalar-python.js';

export const conditional: KnownModel = {
  kind: 'known',
  id: 'conditional',
  uris: pythonExampleUris('conditional'),
  server: 'triton',
  requirements: ['triton', 'python'],
  platform: 'python',
  maxBatchSize: 0,
  inputs: [
    { name: 'CHOICE', datatype: 'INT32', shape: [1] },
    { name: 'INPUT0', datatype: 'FP32', shape: [4] },
    { name: 'INPUT1', datatype: 'FP32', shape: [4] },
  ],
  outputs: [
    { name: 'OUTPUT0', datatype: 'FP32', shape: [4] },
    { name: 'OUTPUT1', datatype: 'FP32', shape: [4] },
  ],
  run(inputs) {
    const choice = Number(input(inputs, 'CHOICE').data[0]);
    const chosen = choice === 0 ? input(inputs, 'INPUT0') : input(inputs, 'INPUT1');
    const name = choice === 0 ? 'OUTPUT0' : 'OUTPUT1';
    return [{ name, datatype: 'FP32', shape: [...chosen.shape], data: chosen.data.map((v) => fp32(Number(v))) }];
  },
};
