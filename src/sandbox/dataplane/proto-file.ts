/** Finds the project's Open Inference Protocol proto, from the sources and from the bundle in dist/ alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROTO_RELATIVE = 'runbooks/apis/mlops/v2_dataplane/v2_dataplane.proto';

/** Walks up from this module to the package root that ships `runbooks/apis/…`. */
export function findInferenceProto(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, PROTO_RELATIVE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${PROTO_RELATIVE} above ${from}`);
  }
}
