/**
 * The scikit-learn iris classifier of Seldon's MLServer samples (`mlserver/iris`, `…/iris-sklearn`,
 * `rolling/iris/v1..v3`): rows of four FP32 features in, one INT64 class per row out (0 setosa, 1 versicolor,
 * 2 virginica), as the CART tree of iris-model.ts predicts them.
 */
import type { Classifier } from '../iris-model.js';
import { InferenceError, type Tensor } from '../tensor.js';
import type { KnownModel } from './model.js';

/** Loaded on the first iris load: the CART library and the data set take a fifth of a second to import. */
let classifier: Classifier | undefined;

const NUMERIC = new Set<string>(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);

export const iris: KnownModel = {
  kind: 'known',
  id: 'iris',
  uris: [
    // The MLServer example of the 2022 docs and the scv2 sample folders of later releases.
    /^gs:\/\/seldon-models\/mlserver\/iris\/?$/,
    /^gs:\/\/seldon-models\/scv2\/(?:[\w.-]+\/)*iris(?:-sklearn)?\/?$/,
    /^gs:\/\/seldon-models\/scv2\/samples\/(?:[\w.-]+\/)?rolling\/iris\/v[123]\/?$/,
  ],
  server: 'mlserver',
  requirements: ['sklearn'],
  platform: 'sklearn',
  inputs: [{ name: 'predict', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1] }],
  async prepare() {
    classifier ??= (await import('../iris-model.js')).irisClassifier();
  },
  run(inputs) {
    // MLServer's sklearn runtime reads the request's first input, whatever its name.
    const input: Tensor | undefined = inputs.values().next().value;
    if (!input) throw new InferenceError(400, 'Inference request must contain at least one input');
    if (!NUMERIC.has(input.datatype)) throw new InferenceError(400, `Unsupported datatype ${input.datatype} for input ${input.name}`);
    if (!classifier) throw new InferenceError(500, 'the iris classifier is not loaded');
    const width = classifier.features;
    const size = input.data.length;
    const lastDim = input.shape.length > 1 ? input.shape[input.shape.length - 1] : input.shape[0];
    if (lastDim !== width || size % width !== 0) {
      throw new InferenceError(400, `X has ${lastDim ?? 0} features, but DecisionTreeClassifier is expecting ${width} features as input.`);
    }
    const rows: number[][] = [];
    for (let start = 0; start < size; start += width) rows.push(input.data.slice(start, start + width).map(Number));
    return [{ name: 'predict', datatype: 'INT64', shape: [rows.length], data: classifier.predict(rows) }];
  },
};
