/**
 * The sandbox's Kafka broker against @platformatic/kafka's protocol layer over a real socket on 127.0.0.1: the
 * versions ApiVersions offers, Metadata advertising the cluster address, ListOffsets, Fetch of v2 record batches
 * (checked with the library's own CRC-32C and record reader), and the errors a broker answers: an unknown topic, a
 * fetch past the high watermark, an unsupported version, an unknown API key.
 */
import { connect } from 'node:net';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTopicLog } from '../../../src/sandbox/dataplane/pipelines/topic-log.js';
import { startKafkaListener, type KafkaListener } from '../../../src/sandbox/kafka/listener.js';
import { recordBatch } from '../../../src/sandbox/kafka/record-batch.js';
import * as lib from '../../../steps/seldon/kafka-lib.js';

const TOPIC = 'seldon.ns.model.tfsimple1.inputs';
let topics: MemoryTopicLog;
let broker: KafkaListener;
let connection: lib.Connection;

function call<T>(api: (...args: never[]) => void, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => (api as (...a: unknown[]) => void)(connection, ...args, (error: Error | null, value: T) => (error ? reject(error) : resolve(value))));
}
/** The answer even when the broker reports a per-topic error (the library throws it with the response). */
async function answer<T>(pending: Promise<T>): Promise<T> {
  return pending.catch((error: { response?: T }) => {
    if (error.response === undefined) throw error;
    return error.response;
  });
}

beforeAll(async () => {
  topics = new MemoryTopicLog(100);
  // 150 requests into a topic that keeps 100: offsets 50..149 remain, 150 is the high watermark.
  for (let i = 0; i < 150; i++) {
    topics.append(TOPIC, `req-${i}`, () => ({ inputs: [{ name: 'INPUT0', datatype: 'INT32', shape: ['1', '2'], contents: { intContents: [i, -i] } }] }), () => ({ pipeline: ['tfsimples'], 'x-request-id': [`req-${i}`] }), 1_700_000_000_000 + i);
  }
  broker = await startKafkaListener({ topics, advertised: { host: '172.21.255.4', port: 9092 } });
  connection = new lib.Connection('test', { connectTimeout: 2000, requestTimeout: 2000 });
  await connection.connect('127.0.0.1', broker.port);
});
afterAll(async () => {
  await connection.close();
  await broker.close();
});

describe('the sandbox Kafka broker', () => {
  it('lists the versions it serves through ApiVersions v3', async () => {
    const versions = await call<lib.apiVersionsV3.ApiVersionsResponse>(lib.apiVersionsV3.api, 'test', '1');
    expect(versions.apiKeys.map((k) => [k.name, k.minVersion, k.maxVersion])).toEqual([
      ['Fetch', 17, 17],
      ['ListOffsets', 9, 9],
      ['Metadata', 12, 12],
      ['ApiVersions', 3, 3],
    ]);
  });

  it('advertises the cluster address in Metadata, one partition led by it, and an unknown topic as such', async () => {
    const md = await answer(call<lib.metadataV12.MetadataResponse>(lib.metadataV12.api, [TOPIC, 'seldon.ns.model.nothere.inputs'], false, false));
    expect(md.brokers).toEqual([{ nodeId: 1, host: '172.21.255.4', port: 9092, rack: null }]);
    expect(md.topics.map((t) => [t.name, t.errorCode, t.partitions.map((p) => [p.partitionIndex, p.leaderId])])).toEqual([
      [TOPIC, 0, [[0, 1]]],
      ['seldon.ns.model.nothere.inputs', 3, []],
    ]);
    expect(md.topics[0]!.topicId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const all = await call<lib.metadataV12.MetadataResponse>(lib.metadataV12.api, null, false, false);
    expect(all.topics.map((t) => t.name)).toEqual([TOPIC]);
  });

  it('ListOffsets: earliest is the oldest kept message, latest the high watermark', async () => {
    const offsets = async (timestamp: bigint) => {
      const res = await call<lib.listOffsetsV9.ListOffsetsResponse>(lib.listOffsetsV9.api, -1, 0, [{ name: TOPIC, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }]);
      return res.topics[0]!.partitions[0]!.offset;
    };
    expect([await offsets(-2n), await offsets(-1n), await offsets(1_700_000_000_120n)]).toEqual([50n, 150n, 120n]);
  });

  it('Fetch returns v2 record batches whose CRC-32C, keys, headers and OIP values the library reads back', async () => {
    const md = await call<lib.metadataV12.MetadataResponse>(lib.metadataV12.api, [TOPIC], false, false);
    const topicId = md.topics[0]!.topicId;
    const fetch = (fetchOffset: bigint, id = topicId) =>
      answer(call<lib.fetchV17.FetchResponse>(lib.fetchV17.api, 0, 1, 1 << 20, 0, 0, -1, [{ topicId: id, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }] }], [], ''));
    const res = await fetch(148n);
    const partition = res.responses[0]!.partitions[0]!;
    expect([partition.errorCode, partition.highWatermark, partition.logStartOffset]).toEqual([0, 150n, 50n]);
    const batches = partition.records ?? [];
    expect(batches.map((b) => [b.firstOffset, b.magic, b.records.length])).toEqual([
      [148n, 2, 1],
      [149n, 2, 1],
    ]);
    const record = batches[1]!.records[0]!;
    expect(record.key?.toString()).toBe('req-149');
    expect(record.headers.map(([k, v]) => `${k?.toString()}=${v?.toString()}`)).toEqual(['pipeline=tfsimples', 'x-request-id=req-149']);
    expect(batches[1]!.firstTimestamp).toBe(1_700_000_000_149n);
    const root = new protobuf.Root().loadSync('runbooks/apis/mlops/v2_dataplane/v2_dataplane.proto', { keepCase: true });
    const request = root.lookupType('inference.ModelInferRequest').toObject(root.lookupType('inference.ModelInferRequest').decode(record.value!), { longs: String });
    expect(request).toEqual({ inputs: [{ name: 'INPUT0', datatype: 'INT32', shape: ['1', '2'], contents: { int_contents: [149, -149] } }] });
    // At the high watermark: nothing yet, no error; past it, or before the log start: OFFSET_OUT_OF_RANGE.
    expect((await fetch(150n)).responses[0]!.partitions[0]!.records).toBeUndefined();
    expect((await fetch(151n)).responses[0]!.partitions[0]!.errorCode).toBe(1);
    expect((await fetch(10n)).responses[0]!.partitions[0]!.errorCode).toBe(1);
    // A topic id the broker does not know: UNKNOWN_TOPIC_ID.
    expect((await fetch(0n, '00000000-0000-0000-0000-00000000abcd')).responses[0]!.partitions[0]!.errorCode).toBe(100);
  });

  it('writes batches the library checks: its CRC-32C over the attributes on, and its reader', () => {
    const batch = recordBatch([
      { offset: 7, timestamp: 1000, key: Buffer.from('k'), value: Buffer.from('v'), headers: [['h', Buffer.from('x')]] },
      { offset: 8, timestamp: 1003, key: null, value: Buffer.alloc(300, 1), headers: [] },
    ]);
    expect(batch.readUInt32BE(17)).toBe(lib.crc32c(batch.subarray(21)));
    const read = lib.readRecordsBatch(lib.Reader.from(batch));
    expect(read.records.map((r) => [r.offsetDelta, r.timestampDelta, r.key?.toString() ?? null, r.value?.length])).toEqual([
      [0, 0n, 'k', 1],
      [1, 3n, null, 300],
    ]);
    expect([read.lastOffsetDelta, read.maxTimestamp]).toEqual([1, 1003n]);
  });

  it('answers an ApiVersions it does not serve with UNSUPPORTED_VERSION, and closes on an unknown API key', async () => {
    const raw = (apiKey: number, version: number) =>
      new Promise<Buffer>((resolve, reject) => {
        const socket = connect(broker.port, '127.0.0.1');
        const chunks: Buffer[] = [];
        // One whole answer, or whatever came before the broker closed the connection.
        socket.on('data', (c: Buffer) => {
          chunks.push(c);
          const got = Buffer.concat(chunks);
          if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) socket.destroy();
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks)));
        const header = Buffer.alloc(10);
        header.writeInt16BE(apiKey, 0);
        header.writeInt16BE(version, 2);
        header.writeInt32BE(42, 4);
        header.writeInt16BE(-1, 8);
        const size = Buffer.alloc(4);
        size.writeInt32BE(header.length + 1);
        socket.write(Buffer.concat([size, header, Buffer.from([0])]));
      });
    const versions = await raw(18, 9);
    // size, correlation id 42, then the v0 body: error 35 and the four API ranges.
    expect([versions.readInt32BE(4), versions.readInt16BE(8), versions.readInt32BE(10)]).toEqual([42, 35, 4]);
    expect(await raw(0, 9)).toHaveLength(0);
  });
});
