/**
 * Seldon's pipeline gateway: runs a loaded pipeline for a request (its id becomes the topics' key) and hands
 * what it produced to pipelines chained after it. Chained runs have no caller: their failures only stop them.
 */
import { InferenceError, type Tensor } from '../tensor.js';
import { createChaining, type Chaining } from './chaining.js';
import { runPipeline, type DataflowDeps, type RunResult } from './dataflow.js';
import type { InMemoryPipelineRegistry, LoadedPipeline } from './pipeline-registry.js';

/** Chained runs per request id beyond this stop (pipelines feeding each other in a ring would never end). */
const MAX_CHAINED_RUNS = 32;

export class PipelineService {
  readonly #chaining: Chaining;
  /** Chained runs so far per request id (bounded: the oldest ids are forgotten). */
  readonly #runs = new Map<string, number>();

  constructor(
    readonly registry: InMemoryPipelineRegistry,
    private readonly deps: DataflowDeps,
  ) {
    this.#chaining = createChaining(
      () => registry.list(),
      (pipeline, inputs, key, route) => this.#chained(pipeline, inputs, key, route),
    );
  }

  /** Runs pipeline `name` of `namespace`; 404 when it is not loaded. */
  async infer(namespace: string, name: string, inputs: Tensor[], requestId: string): Promise<RunResult> {
    const pipeline = this.registry.get(namespace, name);
    if (!pipeline) throw new InferenceError(404, `pipeline ${name} not found`);
    const result = runPipeline(pipeline, inputs, requestId, this.deps);
    this.#chaining.publish(namespace, name, requestId, result.events, result.route);
    return result;
  }

  #chained(pipeline: LoadedPipeline, inputs: Tensor[], key: string, route: readonly string[]): void {
    const runs = (this.#runs.get(key) ?? 0) + 1;
    if (runs > MAX_CHAINED_RUNS) return;
    this.#runs.set(key, runs);
    if (this.#runs.size > 1000) this.#runs.delete(this.#runs.keys().next().value as string);
    try {
      const result = runPipeline(pipeline, inputs, key, this.deps, route);
      this.#chaining.publish(pipeline.namespace, pipeline.name, key, result.events, result.route);
    } catch {
      // Nobody waits for a chained run; Seldon would log the failed step and move on.
    }
  }

  close(): void {
    this.#chaining.close();
  }
}
