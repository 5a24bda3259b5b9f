/** add20 (gs://seldon-models/triton/add20): OUTPUT = INPUT + 20, FP32 [4]. */
import { pythonExampleUris, scalarPythonModel } from './scalar-python.js';

export const add20 = scalarPythonModel('add20', pythonExampleUris('add20'), (x) => x + 20);
