/**
 * Stand-ins for the data plane the scheduler drives: they record what was loaded, started and stopped, and know
 * the artefacts the real model zoo knows (its `artefactOf`), so that placement and tensor checks have facts to check.
 */
import { artefactOf } from '../../../src/sandbox/dataplane/models/index.js';
import type { ExperimentRegistry, ModelRegistry, PipelineRegistry } from '../../../src/sandbox/types.js';
import { ModelLoadError } from '../../../src/sandbox/types.js';

export interface FakeDataPlane {
  registry: ModelRegistry;
  pipelines: PipelineRegistry;
  experiments: ExperimentRegistry;
  /** namespace/name → served version. */
  models: Map<string, number>;
  /** namespace/name → loaded pipeline version. */
  pipelineVersions: Map<string, number>;
  /** namespace/name of running experiments. */
  running: Set<string>;
}

export function fakeDataPlane(): FakeDataPlane {
  const models = new Map<string, number>();
  const pipelineVersions = new Map<string, number>();
  const running = new Set<string>();
  return {
    models,
    pipelineVersions,
    running,
    registry: {
      async load({ namespace, name, version, storageUri }) {
        if (!artefactOf(storageUri)) throw new ModelLoadError('ModelFailed', `the sandbox cannot serve ${storageUri}`);
        await Promise.resolve();
        models.set(`${namespace}/${name}`, version);
      },
      unload({ namespace, name }) {
        models.delete(`${namespace}/${name}`);
      },
      artefact: artefactOf,
    },
    pipelines: {
      async load({ namespace, name, version }) {
        await Promise.resolve();
        pipelineVersions.set(`${namespace}/${name}`, version);
      },
      unload({ namespace, name }) {
        pipelineVersions.delete(`${namespace}/${name}`);
      },
    },
    experiments: {
      start({ namespace, name }) {
        running.add(`${namespace}/${name}`);
      },
      stop({ namespace, name }) {
        running.delete(`${namespace}/${name}`);
      },
    },
  };
}
