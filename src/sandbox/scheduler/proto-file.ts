/** Finds the protos the scheduler serves, from the sources and from the bundle in dist/ alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEDULER_PROTO = 'runbooks/apis/mlops/scheduler/scheduler.proto';

/** Walks up from this module to the package root that ships `runbooks/apis/…`. */
export function findProto(relative: string, from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${relative} above ${from}`);
  }
}
