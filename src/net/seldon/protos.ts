/**
 * The protos the seldon step speaks, loaded once per process: Seldon's scheduler API and the Open Inference
 * Protocol's gRPC service and messages (which are also the values of Seldon's pipeline topics in Kafka). They ship in the package under
 * runbooks/apis/, found by walking up from this module (from the sources and from the bundle in dist/ alike).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const FILES = {
  scheduler: 'runbooks/apis/mlops/scheduler/scheduler.proto',
  inference: 'runbooks/apis/mlops/v2_dataplane/v2_dataplane.proto',
} as const;

export type ProtoName = keyof typeof FILES;

function find(relative: string): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${relative} above ${from}`);
  }
}

const roots = new Map<ProtoName, protobuf.Root>();

/** The root of one proto file (imports such as google/protobuf/timestamp.proto come with protobufjs). */
export function protoRoot(name: ProtoName): protobuf.Root {
  let root = roots.get(name);
  if (!root) {
    root = new protobuf.Root().loadSync(find(FILES[name]), { keepCase: true });
    root.resolveAll();
    roots.set(name, root);
  }
  return root;
}

/** A message type by its full name (`seldon.mlops.scheduler.ModelStatusResponse`). */
export function messageType(name: ProtoName, fullName: string): protobuf.Type {
  return protoRoot(name).lookupType(fullName);
}
