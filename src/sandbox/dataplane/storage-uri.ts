/** Which storage URIs the sandbox can "download", and what Seldon's agent says about the others. */
import { createHash } from 'node:crypto';
import { ModelLoadError } from '../types.js';

export type ModelKind = 'sklearn-iris';

// The MLServer iris example of the 2022 docs and the scv2 sample folders of later releases
// (gs://seldon-models/scv2/samples/mlserver_1.3.5/iris-sklearn and the like).
const KNOWN: ReadonlyArray<[RegExp, ModelKind]> = [
  [/^gs:\/\/seldon-models\/mlserver\/iris\/?$/, 'sklearn-iris'],
  [/^gs:\/\/seldon-models\/scv2\/(?:[\w.-]+\/)*iris(?:-sklearn)?\/?$/, 'sklearn-iris'],
];

/** Resolves a Model's `storageUri`, as the agent's rclone copy would; throws ModelLoadError when it has nothing. */
export function resolveStorageUri(uri: string): ModelKind {
  for (const [pattern, kind] of KNOWN) if (pattern.test(uri)) return kind;
  // Seldon's agent copies into a per-model rclone folder and reports the failed copy with both paths.
  const folder = Number.parseInt(createHash('sha1').update(uri).digest('hex').slice(0, 8), 16);
  throw new ModelLoadError(
    'ModelFailed',
    `Failed to sync/copy ${uri} to /mnt/agent/rclone/${folder}: directory not found`,
  );
}
