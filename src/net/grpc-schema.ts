/**
 * Where grpcurl gets message types: `-proto` files (found through `-import-path`, relative to the runbook's folder)
 * or, without `-proto`, the server's reflection service (v1, then v1alpha).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

/** A schema problem grpcurl reports before calling anything (exit 1). */
export class SchemaError extends Error {}

/** A loaded root and the files it read, relative to the folder it was loaded from, with their text. */
interface LoadedProtos {
  key: string;
  files: { relative: string; text: string }[];
  root: protobuf.Root;
}
const loaded: LoadedProtos[] = [];

/**
 * Loads `-proto` files, once per process for the same files: a later step (or another runbook of the run, in a
 * copy of the folder) whose arguments name files of the same relative paths and text gets the same root, which
 * steps only read. Parsing the istio runbook's protos took 4-5 ms a step.
 */
export function loadProtoFiles(protos: string[], importPaths: string[], cwd: string): protobuf.Root {
  const key = JSON.stringify([protos, importPaths]);
  const same = (entry: LoadedProtos) => {
    if (entry.key !== key) return false;
    try {
      return entry.files.every((f) => readFileSync(resolve(cwd, f.relative), 'utf8') === f.text);
    } catch {
      return false;
    }
  };
  const hit = loaded.find(same);
  if (hit) return hit.root;
  const root = parseProtoFiles(protos, importPaths, cwd);
  try {
    const files = root.files.map((file) => ({ relative: relative(cwd, file), text: readFileSync(file, 'utf8') }));
    if (loaded.length >= 16) loaded.shift();
    loaded.push({ key, files, root });
  } catch {
    // A file that cannot be read again (protobufjs's bundled google/protobuf ones) leaves this root uncached.
  }
  return root;
}

/** Proto field names are kept as written (snake_case), JSON names are derived when printing. */
function parseProtoFiles(protos: string[], importPaths: string[], cwd: string): protobuf.Root {
  const roots = importPaths.map((p) => resolve(cwd, p));
  const find = (target: string, origin?: string): string => {
    if (isAbsolute(target)) return target;
    for (const dir of roots) {
      const candidate = resolve(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    const fromOrigin = origin ? resolve(origin, '..', target) : resolve(cwd, target);
    return existsSync(fromOrigin) ? fromOrigin : resolve(cwd, target);
  };
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => find(target, origin || undefined);
  try {
    root.loadSync(protos.map((p) => (existsSync(resolve(cwd, p)) ? resolve(cwd, p) : find(p))), { keepCase: true });
    root.resolveAll();
  } catch (err) {
    throw new SchemaError(`Failed to process proto source files.: ${(err as Error).message}`);
  }
  return root;
}

const REFLECTION_SCHEMA = {
  nested: {
    ServerReflectionRequest: {
      oneofs: { message_request: { oneof: ['file_by_filename', 'file_containing_symbol', 'list_services'] } },
      fields: {
        host: { type: 'string', id: 1 },
        file_by_filename: { type: 'string', id: 3 },
        file_containing_symbol: { type: 'string', id: 4 },
        list_services: { type: 'string', id: 7 },
      },
    },
    ServerReflectionResponse: {
      fields: {
        valid_host: { type: 'string', id: 1 },
        file_descriptor_response: { type: 'FileDescriptorResponse', id: 4 },
        list_services_response: { type: 'ListServiceResponse', id: 6 },
        error_response: { type: 'ErrorResponse', id: 7 },
      },
    },
    FileDescriptorResponse: { fields: { file_descriptor_proto: { rule: 'repeated', type: 'bytes', id: 1 } } },
    ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
    ServiceResponse: { fields: { name: { type: 'string', id: 1 } } },
    ErrorResponse: { fields: { error_code: { type: 'int32', id: 1 }, error_message: { type: 'string', id: 2 } } },
  },
};

const reflection = protobuf.Root.fromJSON(REFLECTION_SCHEMA);
const RequestType = reflection.lookupType('ServerReflectionRequest');
const ResponseType = reflection.lookupType('ServerReflectionResponse');

interface ReflectionResponse {
  file_descriptor_response?: { file_descriptor_proto: Uint8Array[] };
  list_services_response?: { service: { name: string }[] };
  error_response?: { error_code: number; error_message: string };
}

/** One reflection conversation: ask, get one answer per question, on a single bidirectional stream. */
class ReflectionSession {
  private readonly call: grpc.ClientDuplexStream<Record<string, unknown>, ReflectionResponse>;
  private readonly waiting: { resolve(r: ReflectionResponse): void; reject(e: Error): void }[] = [];

  constructor(client: grpc.Client, version: 'v1' | 'v1alpha', metadata: grpc.Metadata, deadline: number) {
    this.call = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      (req: Record<string, unknown>) => Buffer.from(RequestType.encode(RequestType.fromObject(req)).finish()),
      (bytes: Buffer) => ResponseType.toObject(ResponseType.decode(bytes), { defaults: false }) as ReflectionResponse,
      metadata,
      { deadline },
    );
    this.call.on('data', (r: ReflectionResponse) => this.waiting.shift()?.resolve(r));
    this.call.on('error', (e: Error) => {
      for (const w of this.waiting.splice(0)) w.reject(e);
    });
  }

  ask(request: Record<string, unknown>): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.call.write(request);
    });
  }

  end(): void {
    this.call.end();
  }
}

/** Fetches the file defining `symbol` and everything it imports, and builds a root from them. */
export async function reflectSchema(client: grpc.Client, symbol: string, metadata: grpc.Metadata, deadline: number): Promise<protobuf.Root> {
  let lastError: Error | undefined;
  for (const version of ['v1', 'v1alpha'] as const) {
    const session = new ReflectionSession(client, version, metadata, deadline);
    try {
      const files = new Map<string, protobuf.Message & descriptor.IFileDescriptorProto>();
      const take = (r: ReflectionResponse): void => {
        if (r.error_response) throw new SchemaError(r.error_response.error_message);
        for (const bytes of r.file_descriptor_response?.file_descriptor_proto ?? []) {
          const file = descriptor.FileDescriptorProto.decode(bytes) as protobuf.Message & descriptor.IFileDescriptorProto;
          files.set(file.name ?? '', file);
        }
      };
      take(await session.ask({ file_containing_symbol: symbol }));
      for (let missing = missingDeps(files); missing.length > 0; missing = missingDeps(files)) {
        for (const name of missing) take(await session.ask({ file_by_filename: name }));
      }
      session.end();
      // Dependencies first, so each file's imports already exist when it is added.
      const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: descriptor.IFileDescriptorSet): protobuf.Root }).fromDescriptor;
      return fromDescriptor({ file: topological(files) });
    } catch (err) {
      session.end();
      lastError = err as Error;
      if ((err as { code?: number }).code !== 12) break;
    }
  }
  if ((lastError as { code?: number } | undefined)?.code === 12) throw new SchemaError('server does not support the reflection API');
  throw lastError ?? new SchemaError('reflection failed');
}

function missingDeps(files: Map<string, descriptor.IFileDescriptorProto>): string[] {
  const wanted = new Set<string>();
  for (const f of files.values()) for (const d of f.dependency ?? []) if (!files.has(d)) wanted.add(d);
  return [...wanted];
}

function topological(files: Map<string, descriptor.IFileDescriptorProto>): descriptor.IFileDescriptorProto[] {
  const out: descriptor.IFileDescriptorProto[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const file = files.get(name);
    if (!file || seen.has(name)) return;
    seen.add(name);
    for (const d of file.dependency ?? []) visit(d);
    out.push(file);
  };
  for (const name of files.keys()) visit(name);
  return out;
}
