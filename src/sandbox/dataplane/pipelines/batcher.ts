/**
 * Batched pipeline steps (`batch: {size, windowMs}`): requests' inputs wait per step until `size` of them are
 * there (or `windowMs` has passed since the first), then the model runs once on them joined along the first
 * dimension, and the batch's inputs and outputs go to the step's topics under the last request's id.
 */
import type { PipelineStepSpec } from '../../types.js';
import { topicRequest, topicResponse } from '../encode.js';
import type { LoadedModel } from '../registry.js';
import { inferModel } from '../serving.js';
import type { Tensor } from '../tensor.js';
import type { LoadedPipeline } from './pipeline-registry.js';
import type { MemoryTopicLog } from './topic-log.js';

interface Queue {
  items: Array<{ inputs: Tensor[]; requestId: string }>;
  timer?: NodeJS.Timeout;
}

export interface Batcher {
  run(pipeline: LoadedPipeline, step: PipelineStepSpec, model: LoadedModel, inputs: Tensor[], requestId: string): void;
  close(): void;
}

/** Joins tensors of the same name along their first dimension. */
export function concatenate(batches: Tensor[][]): Tensor[] {
  const first = batches[0] ?? [];
  return first.map((tensor) => {
    const parts = batches.map((b) => b.find((t) => t.name === tensor.name)).filter((t): t is Tensor => t !== undefined);
    const rows = parts.reduce((sum, t) => sum + (t.shape[0] ?? 1), 0);
    return { ...tensor, shape: [rows, ...tensor.shape.slice(1)], data: parts.flatMap((t) => t.data) };
  });
}

export function createBatcher(topics: MemoryTopicLog): Batcher {
  const queues = new Map<string, Queue>();

  function flush(key: string, pipeline: LoadedPipeline, step: PipelineStepSpec, model: LoadedModel): void {
    const queue = queues.get(key);
    if (!queue || queue.items.length === 0) return;
    clearTimeout(queue.timer);
    queues.delete(key);
    const last = queue.items[queue.items.length - 1]!;
    const inputs = concatenate(queue.items.map((i) => i.inputs));
    const prefix = `seldon.${pipeline.namespace}.model.${step.name}`;
    topics.append(`${prefix}.inputs`, last.requestId, () => topicRequest(inputs));
    try {
      const outputs = inferModel(model, { id: '', inputs }).outputs;
      topics.append(`${prefix}.outputs`, last.requestId, () => topicResponse(outputs, { name: model.servedName, version: String(model.version) }));
    } catch {
      // No caller waits for a batch; a refused batch leaves only its inputs message, as a failed step would.
    }
  }

  return {
    run(pipeline, step, model, inputs, requestId) {
      const key = `${pipeline.namespace}/${pipeline.name}/${step.name}`;
      let queue = queues.get(key);
      if (!queue) {
        queue = { items: [] };
        queues.set(key, queue);
        if (step.batch?.windowMs) {
          queue.timer = setTimeout(() => flush(key, pipeline, step, model), step.batch.windowMs);
          queue.timer.unref();
        }
      }
      queue.items.push({ inputs, requestId });
      if (queue.items.length >= (step.batch?.size ?? 1)) flush(key, pipeline, step, model);
    },
    close() {
      for (const queue of queues.values()) clearTimeout(queue.timer);
      queues.clear();
    },
  };
}
