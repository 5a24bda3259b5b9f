/** add10 (gs://seldon-models/triton/add10): OUTPUT = INPUT + 10, FP32 [4]. */
import { pythonExampleUris, scalarPythonModel } from './scalar-python.js';

export const add10 = scalarPythonModel('add10', pythonExampleUris('add10'), (x) => x + 10);
