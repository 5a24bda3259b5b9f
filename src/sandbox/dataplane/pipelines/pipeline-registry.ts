/** The pipelines the scheduler loaded, keyed by namespace and name; the mesh runs their dataflow. */
import type { ObjectRef, PipelineLoadRequest, PipelineRegistry } from '../../types.js';

export type LoadedPipeline = PipelineLoadRequest;

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class InMemoryPipelineRegistry implements PipelineRegistry {
  readonly #pipelines = new Map<string, LoadedPipeline>();

  /** Serves at once: the dataflow is compiled per request from the spec the control plane validated. */
  async load(request: PipelineLoadRequest): Promise<void> {
    this.#pipelines.set(keyOf(request.namespace, request.name), request);
  }

  unload(ref: ObjectRef): void {
    this.#pipelines.delete(keyOf(ref.namespace, ref.name));
  }

  get(namespace: string, name: string): LoadedPipeline | undefined {
    return this.#pipelines.get(keyOf(namespace, name));
  }

  list(): LoadedPipeline[] {
    return [...this.#pipelines.values()];
  }
}
