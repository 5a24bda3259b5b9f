/**
 * How `seldon pipeline inspect` prints the messages it read: each Kafka value decoded as the Open Inference
 * Protocol's protobuf (a ModelInferRequest on `inputs` topics, a ModelInferResponse on `outputs` topics, raw
 * contents typed, and a response's raw buffers dropped once typed) and written as protojson on one line (a space after each comma, as the Go builds Seldon ships print it), or one
 * tensor of it; `TOPIC\tKEY\tJSON` lines, with `--verbose` the
 * headers after a tab, or with `--format json` Go's encoding/json of the whole answer.
 */
import type protobuf from 'protobufjs';
import { messageJson, goCompact, type Json } from '../../src/net/seldon/protojson.js';
import { messageType } from '../../src/net/seldon/protos.js';
import { RawContentsError, withRawContents, withRawInputContents } from '../../src/net/seldon/raw-contents.js';
import { CliError } from './printed.js';
import type { TailRecord } from './kafka-tail.js';

type Decoded = Record<string, unknown>;

/** One message as the CLI keeps it: the key, the value (protojson text, or null for a tensor it lacks), headers. */
export interface ShownMessage {
  key: string;
  /** Go's protojson of the message or of the selected tensor; raw text when the value is not the expected proto. */
  value: { json: Json } | { text: string } | null;
  /** Headers by name, in the order they first appear (Go keeps them in a map). */
  headers: Map<string, string[]>;
}

export interface ShownTopic {
  name: string;
  msgs: ShownMessage[];
}

function types(): { request: protobuf.Type; response: protobuf.Type; tensor: (outputs: boolean) => protobuf.Type } {
  return {
    request: messageType('inference', 'inference.ModelInferRequest'),
    response: messageType('inference', 'inference.ModelInferResponse'),
    tensor: (outputs) => messageType('inference', outputs ? 'inference.ModelInferResponse.InferOutputTensor' : 'inference.ModelInferRequest.InferInputTensor'),
  };
}

/** A record as the CLI shows it: outputs topics hold responses, the others requests; `tensor` picks one by name. */
export function shownMessage(record: TailRecord, tensor: string | undefined): ShownMessage {
  const headers = new Map<string, string[]>();
  for (const [name, value] of record.headers) headers.set(name, [...(headers.get(name) ?? []), value]);
  const key = record.key?.toString('utf8') ?? '';
  const outputs = record.topic.endsWith('.outputs');
  const t = types();
  const type = outputs ? t.response : t.request;
  let decoded: Decoded;
  try {
    decoded = type.decode(record.value ?? Buffer.alloc(0)) as unknown as Decoded;
  } catch {
    return { key, value: { text: record.value?.toString('utf8') ?? '' }, headers };
  }
  let message: Decoded;
  try {
    message = outputs ? withRawContents(decoded) : withRawInputContents(decoded);
  } catch (err) {
    throw err instanceof RawContentsError ? new CliError(err.message) : err;
  }
  if (tensor === undefined) return { key, value: { json: messageJson(type, message) }, headers };
  const tensors = (message[outputs ? 'outputs' : 'inputs'] ?? []) as Decoded[];
  const picked = tensors.filter((x) => x.name === tensor).at(-1);
  return { key, value: picked ? { json: messageJson(t.tensor(outputs), picked) } : null, headers };
}

/** The pipeline a message belongs to: its first `pipeline` header. */
export function pipelineOf(record: TailRecord): string | undefined {
  return record.headers.find(([name]) => name === 'pipeline')?.[1];
}

/** `TOPIC\tKEY\tJSON` per message; `--verbose` adds a tab, then `\tNAME=[V1 V2]` per header. */
export function textLines(topics: ShownTopic[], verbose: boolean): string {
  let out = '';
  for (const topic of topics) {
    for (const m of topic.msgs) {
      const value = m.value === null ? '' : 'text' in m.value ? m.value.text : goCompact(m.value.json);
      const headers = verbose ? `\t${[...m.headers].map(([k, v]) => `\t${k}=[${v.join(' ')}]`).join('')}` : '';
      out += `${topic.name}\t${m.key}\t${value}${headers}\n`;
    }
  }
  return out;
}

/**
 * `--format json`: Go's encoding/json of the CLI's answer, `{"topics":[{"name","msgs":[{"headers","key","value"}]}]}`,
 * compact, with `headers` null unless `--verbose` (a map with sorted names then), `msgs` null for none, and `<`,
 * `>`, `&` escaped as Go escapes them.
 */
export function jsonAnswer(topics: ShownTopic[], verbose: boolean): string {
  const answer = {
    topics: topics.map((t) => ({
      name: t.name,
      msgs:
        t.msgs.length === 0
          ? null
          : t.msgs.map((m) => ({
              headers: verbose ? Object.fromEntries([...m.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : null,
              key: m.key,
              value: m.value === null ? null : 'text' in m.value ? m.value.text : m.value.json,
            })),
    })),
  };
  return JSON.stringify(answer).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}
