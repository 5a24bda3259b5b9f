/** The running experiments, keyed by namespace and name; the mesh splits traffic by them. */
import type { ExperimentRegistry, ExperimentStartRequest, ObjectRef } from '../../types.js';

export type RunningExperiment = ExperimentStartRequest;

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class InMemoryExperimentRegistry implements ExperimentRegistry {
  readonly #experiments = new Map<string, RunningExperiment>();

  start(request: ExperimentStartRequest): void {
    this.#experiments.set(keyOf(request.namespace, request.name), request);
  }

  stop(ref: ObjectRef): void {
    this.#experiments.delete(keyOf(ref.namespace, ref.name));
  }

  get(namespace: string, name: string): RunningExperiment | undefined {
    return this.#experiments.get(keyOf(namespace, name));
  }
}
