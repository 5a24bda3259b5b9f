/** What `GET /v2` and ServerMetadata report for each server behind the mesh. */
import type { ServerKind } from './models/model.js';

export const SERVER_METADATA: Readonly<Record<ServerKind, { name: string; version: string; extensions: string[] }>> = {
  // The 2022 MLServer behind Seldon.
  mlserver: { name: 'mlserver', version: '1.1.0', extensions: [] },
  // Triton 23.05, as Seldon Core 2.5 ships it.
  triton: {
    name: 'triton',
    version: '2.34.0',
    extensions: [
      'classification', 'sequence', 'model_repository', 'model_repository(unload_dependents)', 'schedule_policy',
      'model_configuration', 'system_shared_memory', 'cuda_shared_memory', 'binary_tensor_data', 'parameters',
      'statistics', 'trace', 'logging',
    ],
  },
};
