/**
 * Seldon's mesh behind its Envoy: the `seldon-model` header (`iris`, `tfsimples.pipeline`, `ab.experiment`) picks
 * a loaded model, a pipeline or an experiment's candidate, in the namespace whose seldon-mesh was called.
 * Protocol-independent: REST and gRPC decode into InferRequest and encode the MeshAnswer.
 */
import type { Answerer } from './encode.js';
import { split, type InMemoryExperimentRegistry } from './experiments/experiment-registry.js';
import type { PipelineService } from './pipelines/pipeline-service.js';
import type { InMemoryModelRegistry, LoadedModel } from './registry.js';
import { inferModel } from './serving.js';
import { InferenceError, NoMeshRoute, type InferRequest, type InferResult } from './tensor.js';
import { xid } from './xid.js';

export type MeshTarget = { kind: 'model'; model: LoadedModel } | { kind: 'pipeline'; name: string };

export interface Resolved {
  target: MeshTarget;
  /** Gets a copy of the request; its answer is dropped. */
  mirror?: MeshTarget;
}

export interface MeshAnswer {
  answerer: Answerer;
  result: InferResult;
  /** Response headers Seldon adds: `x-seldon-route` (and `x-request-id` for pipelines). */
  headers: Array<[string, string]>;
}

export class Mesh {
  constructor(
    readonly models: InMemoryModelRegistry,
    readonly pipelines: PipelineService,
    readonly experiments: InMemoryExperimentRegistry,
    private readonly random: () => number,
  ) {}

  /**
   * Resolves a `seldon-model` header in `namespace`; NoMeshRoute when nothing answers to it. A request without one
   * but with `x-seldon-route` (what `seldon … infer -s` sends) takes an experiment's sticky route: Seldon's Envoy
   * has one per candidate of a running experiment, matching the candidate's `:NAME_VERSION:` (a pipeline's
   * `:NAME.pipeline:`) in that header (scheduler/pkg/envoy/resources, the experiment routes).
   */
  resolve(namespace: string, header: string | undefined, routes: readonly string[] = []): Resolved {
    if (!header && routes.length > 0) return this.#sticky(namespace, routes);
    if (!header) throw new NoMeshRoute('No model named in seldon-model header');
    if (header.endsWith('.experiment')) {
      const name = header.slice(0, -'.experiment'.length);
      const experiment = this.experiments.get(namespace, name);
      if (!experiment) throw new NoMeshRoute(`Experiment ${name} not found`);
      return this.#split(namespace, experiment);
    }
    if (header.endsWith('.pipeline')) {
      const name = header.slice(0, -'.pipeline'.length);
      const experiment = this.experiments.byDefault(namespace, name, 'pipeline');
      if (experiment) return this.#split(namespace, experiment);
      if (!this.pipelines.registry.get(namespace, name)) throw new NoMeshRoute(`Pipeline ${name} not found`);
      return { target: { kind: 'pipeline', name } };
    }
    const experiment = this.experiments.byDefault(namespace, header, 'model');
    if (experiment) return this.#split(namespace, experiment);
    return { target: this.#model(namespace, header) };
  }

  /** The candidate of a running experiment in `namespace` that the route values name; NoMeshRoute when none does. */
  #sticky(namespace: string, routes: readonly string[]): Resolved {
    const named = (token: string): boolean => routes.some((r) => r.includes(token));
    for (const experiment of this.experiments.list(namespace)) {
      const resourceType = experiment.spec.resourceType ?? 'model';
      for (const candidate of experiment.spec.candidates) {
        let target: MeshTarget;
        try {
          target = this.#target(namespace, resourceType, candidate.name);
        } catch {
          continue;
        }
        const token = target.kind === 'model' ? `:${target.model.servedName}:` : `:${target.name}.pipeline:`;
        if (named(token)) return { target };
      }
    }
    throw new NoMeshRoute('No route matches the x-seldon-route header');
  }

  #model(namespace: string, name: string): MeshTarget {
    const model = this.models.get(namespace, name);
    if (!model) throw new NoMeshRoute(`Model ${name} not found`);
    return { kind: 'model', model };
  }

  #target(namespace: string, resourceType: 'model' | 'pipeline', name: string): MeshTarget {
    if (resourceType === 'model') return this.#model(namespace, name);
    if (!this.pipelines.registry.get(namespace, name)) throw new NoMeshRoute(`Pipeline ${name} not found`);
    return { kind: 'pipeline', name };
  }

  #split(namespace: string, experiment: Parameters<typeof split>[0]): Resolved {
    const chosen = split(experiment, this.random);
    if (!chosen) throw new NoMeshRoute(`Experiment ${experiment.name} has no candidate with weight`);
    const target = this.#target(namespace, chosen.resourceType, chosen.candidate);
    let mirror: MeshTarget | undefined;
    try {
      mirror = chosen.mirror ? this.#target(namespace, chosen.resourceType, chosen.mirror) : undefined;
    } catch {
      // A mirror that is not there loses its copy; the caller's answer does not depend on it.
    }
    return { target, mirror };
  }

  /** Answers `request` with the resolved target and sends the mirror its copy. `requestId`: the caller's x-request-id. */
  async infer(namespace: string, resolved: Resolved, request: InferRequest, requestId: string | undefined): Promise<MeshAnswer> {
    if (resolved.mirror) {
      const mirror = resolved.mirror;
      void this.#run(namespace, mirror, request, requestId).catch(() => {});
    }
    return this.#run(namespace, resolved.target, request, requestId);
  }

  async #run(namespace: string, target: MeshTarget, request: InferRequest, requestId: string | undefined): Promise<MeshAnswer> {
    switch (target.kind) {
      case 'model': {
        const result = inferModel(target.model, request);
        return { answerer: target.model.model.server, result, headers: [['x-seldon-route', `:${target.model.servedName}:`]] };
      }
      case 'pipeline': {
        // The pipeline gateway keys every topic message by the request id, making an xid when the caller sent none.
        const key = requestId || xid();
        const run = await this.pipelines.infer(namespace, target.name, request.inputs, key);
        // Envoy's route timeout is what a caller of Seldon sees when the outputs never come: no need to wait for it.
        if (!run.outputs) throw new InferenceError(504, 'upstream request timeout');
        const headers: Array<[string, string]> = [['x-request-id', key]];
        if (run.route.length > 0) headers.push(['x-seldon-route', run.route.join(' ')]);
        // Seldon's Envoy adds the pipeline's own entry after the gateway's (its pipeline routes'
        // ResponseHeadersToAdd, scheduler/pkg/envoy/resources): `:NAME.pipeline:`, a value of its own.
        headers.push(['x-seldon-route', `:${target.name}.pipeline:`]);
        return { answerer: 'pipeline', result: { modelName: '', outputs: run.outputs }, headers };
      }
    }
  }
}
