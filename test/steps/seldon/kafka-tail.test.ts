/**
 * The seldon step's Kafka reader against the sandbox's broker over real sockets: the tail of each topic from the
 * high watermark back, an unknown topic as no messages, and a record batch whose bytes changed on the way refused by
 * its CRC-32C (a proxy flips one byte of the Fetch answer).
 */
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTopicLog } from '../../../src/sandbox/dataplane/pipelines/topic-log.js';
import { startKafkaListener, type KafkaListener } from '../../../src/sandbox/kafka/listener.js';
import { readTails } from '../../../steps/seldon/kafka-tail.js';

const TOPIC = 'seldon.default.model.a.outputs';
let broker: KafkaListener;
let proxy: Server;

/** Forwards to the broker, flipping a byte inside the records of the answer with correlation id `corrupt`. */
function corruptingProxy(port: number, corrupt: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = Buffer.from(pending.subarray(0, 4 + pending.readInt32BE(0)));
        pending = pending.subarray(frame.length);
        // The last bytes of a Fetch answer are three empty tagged-field sections; before them, the last record.
        if (frame.readInt32BE(4) === corrupt) frame[frame.length - 4]! ^= 0xff;
        client.write(frame);
      }
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const read = (port: number, topics: string[], count: number) =>
  readTails({
    bootstrap: { address: `127.0.0.1:${port}`, source: 'the test', host: '127.0.0.1', port },
    dial: () => Promise.reject(new Error('a one-broker cluster is read through the bootstrap connection')),
    topics,
    count,
    deadline: Date.now() + 10_000,
    signal: new AbortController().signal,
  });

beforeAll(async () => {
  const log = new MemoryTopicLog();
  for (const key of ['r1', 'r2', 'r3']) log.append(TOPIC, key, () => ({ modelName: 'a_1', outputs: [{ name: 'O', datatype: 'BYTES', shape: ['1'], contents: { bytesContents: [Buffer.from(key).toString('base64')] } }] }), () => ({ pipeline: ['p'] }));
  broker = await startKafkaListener({ topics: log });
  // ApiVersions 1, Metadata 2, ListOffsets 3 and 4, then Fetch 5.
  proxy = await corruptingProxy(broker.port, 5);
});
afterAll(async () => {
  proxy.close();
  await broker.close();
});

describe('readTails', () => {
  it('reads the last N messages of each topic, oldest first; a topic the broker does not know has none', async () => {
    const tails = await read(broker.port, [TOPIC, 'seldon.default.model.b.inputs'], 2);
    expect(tails.get(TOPIC)!.map((r) => [r.offset, r.key?.toString(), r.headers])).toEqual([
      [1n, 'r2', [['pipeline', 'p']]],
      [2n, 'r3', [['pipeline', 'p']]],
    ]);
    expect(tails.get('seldon.default.model.b.inputs')).toEqual([]);
    expect((await read(broker.port, [TOPIC], 10)).get(TOPIC)!.map((r) => r.key?.toString())).toEqual(['r1', 'r2', 'r3']);
  });

  it('refuses a record batch whose CRC-32C does not match its bytes', async () => {
    await expect(read((proxy.address() as { port: number }).port, [TOPIC], 1)).rejects.toThrow(/^Kafka: record batch at offset 2 failed its CRC-32C check \(127\.0\.0\.1:\d+ from the test\)$/);
  });
});
