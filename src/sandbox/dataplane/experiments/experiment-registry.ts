/**
 * The running experiments, keyed by namespace and name; the mesh splits traffic by them. While an experiment
 * with a `default` runs, requests for that model (`seldon-model: iris`) or pipeline (`iris.pipeline`) are split
 * among the candidates; `NAME.experiment` always reaches the split.
 */
import type { ExperimentRegistry, ExperimentSpec, ExperimentStartRequest, ObjectRef } from '../../types.js';

export type RunningExperiment = ExperimentStartRequest;

/** Where one request goes: the chosen candidate, and the mirror when it gets a copy. */
export interface Split {
  experiment: string;
  resourceType: 'model' | 'pipeline';
  candidate: string;
  mirror?: string;
}

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

  /** The running experiments of `namespace`, in the order they started. */
  list(namespace: string): RunningExperiment[] {
    return [...this.#experiments.values()].filter((e) => e.namespace === namespace);
  }

  /** The running experiment whose `default` is `name` of `resourceType`, if any. */
  byDefault(namespace: string, name: string, resourceType: 'model' | 'pipeline'): RunningExperiment | undefined {
    for (const experiment of this.#experiments.values()) {
      if (experiment.namespace === namespace && experiment.spec.default === name && (experiment.spec.resourceType ?? 'model') === resourceType) {
        return experiment;
      }
    }
    return undefined;
  }
}

/** Picks a candidate by weight (`random` in [0, 1)) and decides the mirror's copy by its percent. */
export function split(experiment: RunningExperiment, random: () => number): Split | undefined {
  const { spec } = experiment;
  const candidate = pickWeighted(spec, random());
  if (!candidate) return undefined;
  const mirror = spec.mirror && random() * 100 < spec.mirror.percent ? spec.mirror.name : undefined;
  return { experiment: experiment.name, resourceType: spec.resourceType ?? 'model', candidate, mirror };
}

function pickWeighted(spec: ExperimentSpec, point: number): string | undefined {
  const candidates = spec.candidates.filter((c) => c.weight > 0);
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  if (total <= 0) return undefined;
  let left = point * total;
  for (const candidate of candidates) {
    left -= candidate.weight;
    if (left < 0) return candidate.name;
  }
  return candidates[candidates.length - 1]?.name;
}
