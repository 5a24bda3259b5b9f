/**
 * The last messages of Kafka topics, read as `seldon pipeline inspect` reads Seldon's pipeline topics: per partition
 * from the high watermark minus `--offset` (the Go CLI's `OffsetTail`) up to the high watermark, with no consumer
 * group (the CLI assigns partitions itself, so nothing is joined or committed on the broker).
 *
 * Why @platformatic/kafka, and its protocol layer rather than its Consumer: it is pure JavaScript, maintained, and
 * runs on Node 20 (its 1.x line); kafkajs can only consume through a group (FindCoordinator, JoinGroup, SyncGroup,
 * heartbeats, LeaveGroup: five more round trips and a group left on the broker). Its `Connection` and versioned
 * API functions let this module dial each broker at the address the connect-to mapping gives (the Consumer dials
 * advertised addresses itself), negotiate versions through ApiVersions, and ask for everything in four round trips:
 * ApiVersions, Metadata, ListOffsets, Fetch. Fetch's answer is parsed here so that each record batch's CRC-32C is
 * checked, which the library's own parser skips. The library loads on the first inspect only (./kafka-lib.ts).
 */
import type * as Kafka from './kafka-lib.js';
import { CliError } from './printed.js';

/** One message as the CLI sees it. */
export interface TailRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, string][];
}

export interface TailOptions {
  /** The bootstrap broker: where the runbook says it is, where that came from, and where the socket goes. */
  bootstrap: { address: string; source: string; host: string; port: number };
  /** Where a broker advertised in Metadata is really dialled (the connect-to mapping). */
  dial(host: string, port: number): Promise<{ host: string; port: number }>;
  topics: string[];
  /** How many of each partition's last messages (`--offset`). */
  count: number;
  deadline: number;
  signal: AbortSignal;
}

type Lib = typeof Kafka;
type Api = (connection: Kafka.Connection, ...args: never[]) => void;

/** The highest version of an API both sides speak, among the library's implementations `name` + `V<n>`. */
function negotiate(lib: Lib, ranges: Kafka.apiVersionsV3.ApiVersionsResponseApi[], key: number, name: string): number {
  const range = ranges.find((r) => r.apiKey === key);
  const ours = Object.keys(lib).filter((k) => k.startsWith(`${name}V`)).map((k) => Number(k.slice(name.length + 1)));
  const both = ours.filter((v) => range && v >= range.minVersion && v <= range.maxVersion);
  if (both.length === 0) throw new CliError(`Kafka broker does not support ${name} v${Math.min(...ours)}-v${Math.max(...ours)}`);
  return Math.max(...both);
}

function call<T>(api: Api, connection: Kafka.Connection, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => (api as (...a: unknown[]) => void)(connection, ...args, (error: Error | null, value: T) => (error ? reject(error) : resolve(value))));
}

/** An answer with per-topic or per-partition errors still carries the rest (the library throws it whole). */
async function tolerant<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    const response = (error as { response?: T }).response;
    if (response !== undefined) return response;
    throw error;
  }
}

/** Fetch's answer, v12 (topics by name) to v17 (by id), each batch's CRC-32C checked before its records are read. */
function fetchParser(lib: Lib, byId: boolean) {
  return (_correlationId: number, _apiKey: number, _apiVersion: number, reader: Kafka.Reader) => {
    reader.readInt32();
    const errorCode = reader.readInt16();
    if (errorCode !== 0) throw new Error(`Fetch failed with error code ${errorCode}`);
    reader.readInt32();
    return reader.readArray((r) => ({
      topic: byId ? r.readUUID() : r.readString(),
      partitions: r.readArray((r) => {
        const partition = { index: r.readInt32(), errorCode: r.readInt16(), highWatermark: r.readInt64(), batches: [] as Kafka.RecordsBatch[] };
        r.readInt64();
        r.readInt64();
        r.readNullableArray((r) => [r.readInt64(), r.readInt64()]);
        r.readInt32();
        const size = r.readUnsignedVarInt() - 1;
        const bytes = size > 0 ? r.buffer.subarray(r.position, r.position + size) : Buffer.alloc(0);
        if (size > 0) r.skip(size);
        // Batches: baseOffset (8) and batchLength (4), then leaderEpoch (4), magic (1), crc (4), and from the
        // attributes (byte 21) on, what the CRC covers. A partial batch at the end (the byte limit) is dropped.
        for (let at = 0; at + 21 <= bytes.length; ) {
          const end = at + 12 + bytes.readInt32BE(at + 8);
          if (end > bytes.length) break;
          const crc = bytes.readUInt32BE(at + 17);
          if (lib.crc32c(bytes.subarray(at + 21, end)) !== crc) throw new Error(`record batch at offset ${bytes.readBigInt64BE(at)} failed its CRC-32C check`);
          partition.batches.push(lib.readRecordsBatch(lib.Reader.from(bytes.subarray(at, end))));
          at = end;
        }
        return partition;
      }),
    }));
  };
}

/** Why a dial failed, in Go's words, from the socket error under the library's. */
function dialReason(error: unknown): string {
  const codes: Record<string, string> = { ECONNREFUSED: 'connect: connection refused', EHOSTUNREACH: 'connect: no route to host', ENOTFOUND: 'no such host', EAI_AGAIN: 'no such host', ETIMEDOUT: 'i/o timeout' };
  for (let e = error as { code?: string; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
    if (e.code && codes[e.code]) return codes[e.code]!;
    if (/timed out/i.test(e.message ?? '')) return 'i/o timeout';
  }
  return (error as Error).message;
}

let library: Promise<Lib> | undefined;

/** Loads the library once; `pipeline inspect` starts it before asking the scheduler, so the two overlap. */
export function loadKafka(): Promise<Lib> {
  return (library ??= import('./kafka-lib.js'));
}

/** Reads the tails; topics the broker does not know give no records. */
export async function readTails(options: TailOptions): Promise<Map<string, TailRecord[]>> {
  const lib = await loadKafka();
  const { bootstrap } = options;
  const timeout = Math.max(1, Math.min(5_000, options.deadline - Date.now()));
  const connections = new Map<string, Kafka.Connection>();
  const open = async (host: string, port: number): Promise<Kafka.Connection> => {
    const key = `${host}:${port}`;
    let connection = connections.get(key);
    if (!connection) {
      connection = new lib.Connection('seldon-cli', { connectTimeout: timeout, requestTimeout: timeout });
      connections.set(key, connection);
      await connection.connect(host, port);
    }
    return connection;
  };
  const abort = () => void Promise.all([...connections.values()].map((c) => c.close().catch(() => undefined)));
  options.signal.addEventListener('abort', abort, { once: true });
  try {
    let first: Kafka.Connection;
    try {
      first = await open(bootstrap.host, bootstrap.port);
    } catch (error) {
      throw new CliError(`Local: Broker transport failure: dial tcp ${bootstrap.address}: ${dialReason(error)} (${bootstrap.address} from ${bootstrap.source})`);
    }
    const versions = await call<Kafka.apiVersionsV3.ApiVersionsResponse>(lib.apiVersionsV3.api, first, 'runbook', '1');
    const v = {
      metadata: negotiate(lib, versions.apiKeys, 3, 'metadata'),
      listOffsets: negotiate(lib, versions.apiKeys, 2, 'listOffsets'),
      fetch: negotiate(lib, versions.apiKeys, 1, 'fetch'),
    };
    const api = (name: string, version: number) => (lib as unknown as Record<string, { api: Api; createRequest: (...a: never[]) => unknown }>)[`${name}V${version}`]!;
    const metadata = await tolerant(call<Kafka.metadataV12.MetadataResponse>(api('metadata', v.metadata).api, first, options.topics, false, false));
    // A cluster of one broker is the one the bootstrap connection reached: no second connection.
    const leader = async (nodeId: number): Promise<Kafka.Connection> => {
      if (metadata.brokers.length === 1) return first;
      const broker = metadata.brokers.find((b) => b.nodeId === nodeId);
      if (!broker) throw new CliError(`Kafka broker ${nodeId} is not in the cluster's metadata`);
      const dialled = await options.dial(broker.host, broker.port);
      return open(dialled.host, dialled.port);
    };
    const wanted = metadata.topics.filter((t) => t.errorCode === 0 && typeof t.name === 'string' && options.topics.includes(t.name));
    const out = new Map<string, TailRecord[]>(options.topics.map((t) => [t, []]));
    const byLeader = new Map<number, { name: string; id: string; index: number }[]>();
    for (const topic of wanted) {
      for (const p of topic.partitions) byLeader.set(p.leaderId, [...(byLeader.get(p.leaderId) ?? []), { name: topic.name!, id: topic.topicId, index: p.partitionIndex }]);
    }
    for (const [nodeId, partitions] of byLeader) {
      const connection = await leader(nodeId);
      const offsets = async (timestamp: bigint) => {
        const topics = [...new Set(partitions.map((p) => p.name))].map((name) => ({
          name,
          partitions: partitions.filter((p) => p.name === name).map((p) => ({ partitionIndex: p.index, currentLeaderEpoch: -1, timestamp })),
        }));
        const answer = await tolerant(call<Kafka.listOffsetsV9.ListOffsetsResponse>(api('listOffsets', v.listOffsets).api, connection, -1, 0, topics));
        return (name: string, index: number) => answer.topics.find((t) => t.name === name)?.partitions.find((p) => p.partitionIndex === index && p.errorCode === 0)?.offset;
      };
      const [latest, earliest] = await Promise.all([offsets(-1n), offsets(-2n)]);
      // Where each partition's tail starts and ends; the Go CLI's OffsetTail(N), kept within what the log still has.
      const ranges = partitions.flatMap((p) => {
        const end = latest(p.name, p.index);
        const start = earliest(p.name, p.index) ?? 0n;
        if (end === undefined) return [];
        const from = end - BigInt(options.count) > start ? end - BigInt(options.count) : start;
        return from < end ? [{ ...p, next: from, end }] : [];
      });
      const byIdFetch = v.fetch >= 13;
      const fetchApi = lib.createAPI(1, v.fetch, api('fetch', v.fetch).createRequest as never, fetchParser(lib, byIdFetch));
      while (ranges.some((r) => r.next < r.end)) {
        if (Date.now() > options.deadline) throw new CliError(`Kafka fetch from ${bootstrap.address} timed out`);
        const open = ranges.filter((r) => r.next < r.end);
        const topics = [...new Set(open.map((r) => r.name))].map((name) => ({
          topicId: byIdFetch ? open.find((r) => r.name === name)!.id : name,
          partitions: open.filter((r) => r.name === name).map((r) => ({ partition: r.index, currentLeaderEpoch: -1, fetchOffset: r.next, lastFetchedEpoch: -1, partitionMaxBytes: 16 * 1024 * 1024 })),
        }));
        const answer = await call<ReturnType<ReturnType<typeof fetchParser>>>(fetchApi, connection, 0, 1, 64 * 1024 * 1024, 0, 0, -1, topics, [], '');
        let progressed = false;
        for (const topic of answer) {
          for (const p of topic.partitions) {
            const range = open.find((r) => (byIdFetch ? r.id === topic.topic : r.name === topic.topic) && r.index === p.index);
            if (!range) continue;
            if (p.errorCode !== 0) throw new CliError(`Kafka Fetch of ${range.name} partition ${range.index} failed with error code ${p.errorCode}`);
            for (const batch of p.batches) {
              for (const record of batch.records) {
                const offset = batch.firstOffset + BigInt(record.offsetDelta);
                if (offset < range.next || offset >= range.end) continue;
                out.get(range.name)!.push({ topic: range.name, partition: range.index, offset, key: record.key, value: record.value, headers: record.headers.map(([k, val]) => [String(k ?? ''), String(val ?? '')]) });
                range.next = offset + 1n;
                progressed = true;
              }
            }
          }
        }
        if (!progressed) break;
      }
    }
    for (const records of out.values()) records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
    return out;
  } catch (error) {
    if (error instanceof CliError || options.signal.aborted) throw error;
    // A broker that stops answering or answers with an error: one line, naming it like an unreachable one.
    throw new CliError(`Kafka: ${(error as Error).message} (${bootstrap.address} from ${bootstrap.source})`);
  } finally {
    options.signal.removeEventListener('abort', abort);
    await Promise.all([...connections.values()].map((c) => c.close().catch(() => undefined)));
  }
}
