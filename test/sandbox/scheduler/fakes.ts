/**
 * Stand-ins for the data plane the scheduler drives: they record what was loaded, started and stopped, and know
 * two artefacts (iris and tfsimple) so that placement and tensor checks have something to check.
 */
import type { ExperimentRegistry, ModelArtefact, ModelRegistry, PipelineRegistry } from '../../../src/sandbox/types.js';
import { ModelLoadError } from '../../../src/sandbox/types.js';

const ARTEFACTS: Record<string, ModelArtefact> = {
  'gs://seldon-models/mlserver/iris': {
    storageUri: 'gs://seldon-models/mlserver/iris',
    requirements: ['sklearn'],
    server: 'mlserver',
    platform: 'sklearn',
    inputs: [{ name: 'predict', datatype: 'FP32', shape: [-1, 4] }],
    outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1, 1] }],
  },
  'gs://seldon-models/triton/simple': {
    storageUri: 'gs://seldon-models/triton/simple',
    requirements: ['tensorflow'],
    server: 'triton',
    platform: 'tensorflow_graphdef',
    inputs: [
      { name: 'INPUT0', datatype: 'INT32', shape: [-1, 16] },
      { name: 'INPUT1', datatype: 'INT32', shape: [-1, 16] },
    ],
    outputs: [
      { name: 'OUTPUT0', datatype: 'INT32', shape: [-1, 16] },
      { name: 'OUTPUT1', datatype: 'INT32', shape: [-1, 16] },
    ],
  },
};

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
        if (!ARTEFACTS[storageUri]) throw new ModelLoadError('ModelFailed', `the sandbox cannot serve ${storageUri}`);
        await Promise.resolve();
        models.set(`${namespace}/${name}`, version);
      },
      unload({ namespace, name }) {
        models.delete(`${namespace}/${name}`);
      },
      artefact: (uri) => ARTEFACTS[uri],
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
