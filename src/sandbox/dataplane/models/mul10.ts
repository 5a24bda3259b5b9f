/** mul10 (gs://seldon-models/triton/mul10): OUTPUT = INPUT × 10, FP32 [4]. */
import { pythonExampleUris, scalarPythonModel } from './scalar-python.js';

export const mul10 = scalarPythonModel('mul10', pythonExampleUris('mul10'), (x) => x * 10);
