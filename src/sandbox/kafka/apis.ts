/**
 * The four Kafka APIs the sandbox's broker answers, each in the one version that a current broker and the seldon
 * step's client (@platformatic/kafka) agree on through ApiVersions: ApiVersions v3, Metadata v12, ListOffsets v9
 * and Fetch v17 (topics named by id). Every topic has one partition, 0, led by this broker. Requests for anything
 * else are not answered here: the listener closes the connection, as a broker does.
 */
import { createHash } from 'node:crypto';
import type { TopicLog } from '../types.js';
import { oipHeaders, oipValue } from './oip-values.js';
import { recordBatch } from './record-batch.js';
import type { WireReader} from './wire.js';
import { WireWriter } from './wire.js';

export const API_KEYS = { fetch: 1, listOffsets: 2, metadata: 3, apiVersions: 18 } as const;

/** [api key, min version, max version], as ApiVersions lists them. */
export const SUPPORTED: readonly (readonly [number, number, number])[] = [
  [API_KEYS.fetch, 17, 17],
  [API_KEYS.listOffsets, 9, 9],
  [API_KEYS.metadata, 12, 12],
  [API_KEYS.apiVersions, 3, 3],
];

/** Kafka's error codes the sandbox answers with. */
export const ERRORS = { none: 0, offsetOutOfRange: 1, unknownTopicOrPartition: 3, unsupportedVersion: 35, unknownTopicId: 100 } as const;

/** This broker, as Metadata advertises it: the address runbooks use, which the kubeconfig maps to the real port. */
export interface Advertised {
  nodeId: number;
  host: string;
  port: number;
}

export interface BrokerState {
  topics: TopicLog;
  advertised: Advertised;
}

/** A stable id per topic name (Fetch v13+ names topics by id): the first 16 bytes of its SHA-256. */
export function topicId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 32);
}

export function supports(apiKey: number, version: number): boolean {
  return SUPPORTED.some(([key, min, max]) => key === apiKey && version >= min && version <= max);
}

/**
 * The ApiVersions answer. `version` 0 is the form a broker sends when a client asked for a version it does not
 * know (non-flexible, no throttle), with UNSUPPORTED_VERSION, so the client can retry with one from the list.
 */
export function apiVersions(version: 0 | 3, errorCode: number = ERRORS.none): Buffer {
  const w = new WireWriter().int16(errorCode);
  if (version === 0) {
    w.int32(SUPPORTED.length);
    for (const [key, min, max] of SUPPORTED) w.int16(key).int16(min).int16(max);
    return w.done();
  }
  w.compactArray(SUPPORTED, (w, [key, min, max]) => w.int16(key).int16(min).int16(max).taggedFields());
  return w.int32(0).taggedFields().done();
}

export function metadata(body: WireReader, state: BrokerState): Buffer {
  // A null array (count 0) asks for every topic; names come with an all-zero id in v12.
  const count = body.unsignedVarint() - 1;
  const asked: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    body.uuid();
    asked.push(body.compactNullableString());
    body.taggedFields();
  }
  const names = count < 0 ? state.topics.names() : asked;
  const { nodeId, host, port } = state.advertised;
  const w = new WireWriter()
    .int32(0)
    .compactArray([state.advertised], (w) => w.int32(nodeId).compactString(host).int32(port).compactNullableString(null).taggedFields())
    .compactNullableString('runbook-sandbox')
    .int32(nodeId);
  w.compactArray(names, (w, name) => {
    const known = name !== null && state.topics.partition(name) !== undefined;
    w.int16(known ? ERRORS.none : ERRORS.unknownTopicOrPartition)
      .compactNullableString(name)
      .uuid(known ? topicId(name) : '')
      .boolean(false);
    const nodes = (w: WireWriter) => w.unsignedVarint(2).int32(nodeId);
    w.compactArray(known ? [0] : [], (w, partition) => {
      w.int16(ERRORS.none).int32(partition).int32(nodeId).int32(0);
      nodes(w);
      nodes(w);
      w.unsignedVarint(1).taggedFields();
    });
    // topic_authorized_operations: not asked for (-2^31, as a broker sends then).
    w.int32(-2147483648).taggedFields();
  });
  return w.taggedFields().done();
}

/** Timestamps ListOffsets reads as questions: -1 the high watermark, -2 the log start, -3 the newest message. */
export function listOffsets(body: WireReader, state: BrokerState): Buffer {
  body.int32();
  body.int8();
  const topics = body.compactArray((r) => {
    const name = r.compactString();
    const partitions = r.compactArray((r) => {
      const index = r.int32();
      r.int32();
      const timestamp = r.int64();
      r.taggedFields();
      return { index, timestamp };
    });
    r.taggedFields();
    return { name, partitions };
  });
  body.taggedFields();
  const w = new WireWriter().int32(0);
  w.compactArray(topics, (w, { name, partitions }) => {
    w.compactString(name).compactArray(partitions, (w, { index, timestamp }) => {
      const log = index === 0 ? state.topics.partition(name) : undefined;
      if (!log) return void w.int32(index).int16(ERRORS.unknownTopicOrPartition).int64(-1).int64(-1).int32(-1).taggedFields();
      const found = offsetFor(log, timestamp);
      w.int32(index).int16(ERRORS.none).int64(found.timestamp).int64(found.offset).int32(0).taggedFields();
    });
    w.taggedFields();
  });
  return w.taggedFields().done();
}

function offsetFor(log: NonNullable<ReturnType<TopicLog['partition']>>, timestamp: bigint): { offset: number; timestamp: number } {
  if (timestamp === -1n) return { offset: log.end, timestamp: -1 };
  if (timestamp === -2n) return { offset: log.start, timestamp: -1 };
  const kept = log.from(log.start, log.end - log.start);
  if (timestamp === -3n) {
    const newest = kept.at(-1);
    return newest ? { offset: newest.offset, timestamp: newest.timestamp } : { offset: -1, timestamp: -1 };
  }
  const first = kept.find((m) => BigInt(m.timestamp) >= timestamp);
  return first ? { offset: first.offset, timestamp: first.timestamp } : { offset: -1, timestamp: -1 };
}

interface FetchPartition {
  partition: number;
  offset: number;
  maxBytes: number;
}

export interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  topics: { id: string; partitions: FetchPartition[] }[];
}

export function readFetch(body: WireReader): FetchRequest {
  const maxWaitMs = body.int32();
  const minBytes = body.int32();
  const maxBytes = body.int32();
  body.int8();
  body.int32();
  body.int32();
  const topics = body.compactArray((r) => {
    const id = r.uuid();
    const partitions = r.compactArray((r): FetchPartition => {
      const partition = r.int32();
      r.int32();
      const offset = Number(r.int64());
      r.int32();
      r.int64();
      const max = r.int32();
      r.taggedFields();
      return { partition, offset, maxBytes: max };
    });
    r.taggedFields();
    return { id, partitions };
  });
  // Forgotten topics (fetch sessions, which the sandbox does not keep) and the rack id.
  body.compactArray((r) => {
    r.uuid();
    r.compactArray((r) => r.int32());
    r.taggedFields();
  });
  body.compactString();
  body.taggedFields();
  return { maxWaitMs, minBytes, maxBytes, topics };
}

/** Whether a fetch would return nothing yet (the listener then waits up to max_wait_ms for a message). */
export function fetchIsEmpty(request: FetchRequest, state: BrokerState): boolean {
  const byId = new Map(state.topics.names().map((n) => [topicId(n), n]));
  return request.topics.every(({ id, partitions }) =>
    partitions.every(({ partition, offset }) => {
      const name = byId.get(id);
      const log = name !== undefined && partition === 0 ? state.topics.partition(name) : undefined;
      return log !== undefined && offset === log.end;
    }),
  );
}

export function fetch(request: FetchRequest, state: BrokerState): Buffer {
  const byId = new Map(state.topics.names().map((n) => [topicId(n), n]));
  let budget = request.maxBytes;
  const w = new WireWriter().int32(0).int16(ERRORS.none).int32(0);
  w.compactArray(request.topics, (w, { id, partitions }) => {
    w.uuid(id).compactArray(partitions, (w, { partition, offset, maxBytes }) => {
      const name = byId.get(id);
      const log = name !== undefined && partition === 0 ? state.topics.partition(name) : undefined;
      w.int32(partition);
      if (!log) return void w.int16(name === undefined ? ERRORS.unknownTopicId : ERRORS.unknownTopicOrPartition).int64(-1).int64(-1).int64(-1).unsignedVarint(0).int32(-1).compactBytes(null).taggedFields();
      const inRange = offset >= log.start && offset <= log.end;
      w.int16(inRange ? ERRORS.none : ERRORS.offsetOutOfRange).int64(log.end).int64(log.end).int64(log.start).unsignedVarint(0).int32(-1);
      // Whole batches up to the partition's and the response's byte limits, but always the first (as a broker does,
      // so a message larger than the limit is still delivered).
      const batches: Buffer[] = [];
      let size = 0;
      for (const message of inRange ? log.from(offset, log.end - offset) : []) {
        const batch = recordBatch([{ offset: message.offset, timestamp: message.timestamp, key: Buffer.from(message.key, 'utf8'), value: oipValue(message), headers: oipHeaders(message) }]);
        if (batches.length > 0 && (size + batch.length > maxBytes || size + batch.length > budget)) break;
        batches.push(batch);
        size += batch.length;
      }
      budget -= size;
      w.compactBytes(batches.length > 0 ? Buffer.concat(batches) : null).taggedFields();
    });
    w.taggedFields();
  });
  return w.taggedFields().done();
}
