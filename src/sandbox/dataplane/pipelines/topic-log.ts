/**
 * Seldon's Kafka topics, in memory: each step's inputs and outputs and each pipeline's, keyed by topic name.
 * Every topic keeps only its latest messages, so a long run cannot grow the sandbox without bound.
 */
import type { TopicLog, TopicMessage, TopicPartition } from '../../types.js';

/** Messages kept per topic: enough for `pipeline inspect` after a load test, small enough for 100 pipelines. */
export const TOPIC_CAPACITY = 100;

/**
 * One message. Its protojson and headers are built when first read: most messages are never inspected, and
 * building them for each would cost more than running the models.
 */
class Message implements TopicMessage {
  #json?: Record<string, unknown>;
  #headers?: Record<string, string[]>;

  constructor(
    readonly topic: string,
    readonly offset: number,
    readonly key: string,
    readonly timestamp: number,
    private readonly buildJson: () => Record<string, unknown>,
    private readonly buildHeaders: () => Record<string, string[]>,
  ) {}

  get json(): Record<string, unknown> {
    return (this.#json ??= this.buildJson());
  }

  get headers(): Record<string, string[]> {
    return (this.#headers ??= this.buildHeaders());
  }
}

/** A ring of the latest messages of one topic. */
class Topic {
  readonly ring: Array<Message | undefined>;
  /** The offset the next message gets; the ring slot is `next % capacity`. */
  next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<Message | undefined>(capacity);
  }

  /** The kept messages, oldest first. */
  messages(): Message[] {
    const first = Math.max(0, this.next - this.capacity);
    const out: Message[] = [];
    for (let offset = first; offset < this.next; offset++) out.push(this.ring[offset % this.capacity]!);
    return out;
  }
}

const NO_HEADERS = (): Record<string, string[]> => ({});

export class MemoryTopicLog implements TopicLog {
  readonly #topics = new Map<string, Topic>();

  constructor(private readonly capacity = TOPIC_CAPACITY) {}

  /** Appends one message (the oldest of a full topic is dropped); `json` and `headers` run when first read. */
  append(topic: string, key: string, json: () => Record<string, unknown>, headers: () => Record<string, string[]> = NO_HEADERS, timestamp = Date.now()): void {
    let entry = this.#topics.get(topic);
    if (!entry) {
      entry = new Topic(this.capacity);
      this.#topics.set(topic, entry);
    }
    const offset = entry.next++;
    entry.ring[offset % this.capacity] = new Message(topic, offset, key, timestamp, json, headers);
  }

  names(): string[] {
    return [...this.#topics.keys()].sort();
  }

  partition(topic: string): TopicPartition | undefined {
    const entry = this.#topics.get(topic);
    if (!entry) return undefined;
    const start = Math.max(0, entry.next - entry.capacity);
    return {
      start,
      end: entry.next,
      from: (offset, max) => entry.messages().slice(Math.max(0, offset - start), Math.max(0, offset - start) + max),
    };
  }

  read(namespace: string, topicPrefix: string, offset: number, limit: number): TopicMessage[] {
    const namespacePrefix = `seldon.${namespace}.`;
    const names = [...this.#topics.keys()].filter((name) => name.startsWith(namespacePrefix) && name.startsWith(topicPrefix)).sort();
    const result: TopicMessage[] = [];
    for (const name of names) {
      const messages = this.#topics.get(name)!.messages();
      const picked = offset < 0 ? messages.slice(Math.max(0, messages.length + offset)) : messages.filter((m) => m.offset >= offset);
      for (const message of picked) {
        if (result.length >= limit) return result;
        result.push(message);
      }
    }
    return result;
  }
}
