/**
 * Seldon's Kafka topics, in memory: each step's inputs and outputs and each pipeline's, keyed by topic name.
 * Every topic keeps only its latest messages, so a long run cannot grow the sandbox without bound.
 */
import type { TopicLog, TopicMessage } from '../../types.js';

/** Messages kept per topic: enough for `pipeline inspect` after a load test, small enough for 100 pipelines. */
export const TOPIC_CAPACITY = 100;

interface Topic {
  /** A ring of the latest messages; `next` is the offset the next message gets. */
  messages: TopicMessage[];
  next: number;
}

export class MemoryTopicLog implements TopicLog {
  readonly #topics = new Map<string, Topic>();

  constructor(private readonly capacity = TOPIC_CAPACITY) {}

  /** Appends one message; the oldest of a full topic is dropped. */
  append(topic: string, key: string, json: Record<string, unknown>, headers: Record<string, string[]> = {}, timestamp = Date.now()): void {
    let entry = this.#topics.get(topic);
    if (!entry) {
      entry = { messages: [], next: 0 };
      this.#topics.set(topic, entry);
    }
    entry.messages.push({ topic, offset: entry.next++, key, json, timestamp, headers });
    if (entry.messages.length > this.capacity) entry.messages.shift();
  }

  read(namespace: string, topicPrefix: string, offset: number, limit: number): TopicMessage[] {
    const namespacePrefix = `seldon.${namespace}.`;
    const names = [...this.#topics.keys()].filter((name) => name.startsWith(namespacePrefix) && name.startsWith(topicPrefix)).sort();
    const result: TopicMessage[] = [];
    for (const name of names) {
      const { messages } = this.#topics.get(name)!;
      const picked = offset < 0 ? messages.slice(Math.max(0, messages.length + offset)) : messages.filter((m) => m.offset >= offset);
      for (const message of picked) {
        if (result.length >= limit) return result;
        result.push(message);
      }
    }
    return result;
  }
}
