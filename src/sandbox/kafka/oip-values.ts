/**
 * The bytes Seldon writes to its pipeline topics: a message's protojson turned back into the Open Inference
 * Protocol's protobuf (`inference.ModelInferRequest` on `inputs` topics, `inference.ModelInferResponse` on
 * `outputs` topics), encoded the first time a client fetches it and kept for later fetches.
 */
import protobuf from 'protobufjs';
import type { TopicMessage } from '../types.js';
import { findProto } from '../scheduler/proto-file.js';

const OIP_PROTO = 'runbooks/apis/mlops/v2_dataplane/v2_dataplane.proto';

let types: { request: protobuf.Type; response: protobuf.Type } | undefined;

/** Loaded once, with protobufjs's camelCase names, which are protojson's: the topic JSON reads as it is. */
function oip(): { request: protobuf.Type; response: protobuf.Type } {
  if (!types) {
    const root = new protobuf.Root().loadSync(findProto(OIP_PROTO), { keepCase: false });
    root.resolveAll();
    types = { request: root.lookupType('inference.ModelInferRequest'), response: root.lookupType('inference.ModelInferResponse') };
  }
  return types;
}

const encoded = new WeakMap<TopicMessage, Buffer>();

/** The message's Kafka value. */
export function oipValue(message: TopicMessage): Buffer {
  let value = encoded.get(message);
  if (!value) {
    const type = message.topic.endsWith('.outputs') ? oip().response : oip().request;
    value = Buffer.from(type.encode(type.fromObject(message.json)).finish());
    encoded.set(message, value);
  }
  return value;
}

/** The message's Kafka headers, one per value, in the order Seldon's gateways add them. */
export function oipHeaders(message: TopicMessage): [string, Buffer][] {
  return Object.entries(message.headers).flatMap(([name, values]) => values.map((v): [string, Buffer] => [name, Buffer.from(v, 'utf8')]));
}
