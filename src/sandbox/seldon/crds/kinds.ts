/** Seldon Core 2's custom resources as data: Model, Server, Pipeline, Experiment, SeldonRuntime. */
import type { KubeObject } from '../../types.js';
import {
  array,
  bool,
  conditionColumn,
  int32,
  joinType,
  object,
  opaque,
  quantity,
  seldonCrd,
  statusSchema,
  str,
  stringMap,
  strings,
} from './build.js';

const TENSOR_MAP = 'Renames tensors on the way in, e.g. `step1.outputs.OUTPUT0: INPUT0`.';
const JOIN_WINDOW = 'How long, in ms, to wait for the messages of several inputs before joining them.';

export const MODEL_CRD = seldonCrd({
  kind: 'Model',
  plural: 'models',
  shortNames: ['mlm'],
  description: 'A trained model artefact that Seldon loads onto a Server.',
  scale: true,
  spec: object(
    'What to load and where.',
    {
      artifactVersion: int32('The v2 version folder to load from the storage bucket.'),
      dataflow: object('Dataflow settings.', { cleanTopicsOnDelete: bool('Delete the model\'s Kafka topics with it (default false).') }),
      dedicated: bool('Give the model a server of its own (default false).'),
      explainer: object('Black-box explainer settings.', {
        modelRef: str('The Model to explain.'),
        pipelineRef: str('The Pipeline to explain.'),
        type: str('The kind of explainer.'),
      }),
      llm: object('LLM settings.', { modelRef: str('The Model it refers to.'), pipelineRef: str('The Pipeline it refers to.') }),
      logger: object('Payload logging.', { percent: { type: 'integer', description: 'Share of payloads to log, in percent.' } }),
      maxReplicas: int32('Upper bound for autoscaling (0: none).'),
      memory: quantity('Memory the model needs on its server replica.'),
      minReplicas: int32('Lower bound for autoscaling (0: none).'),
      modelType: str('The type of model.'),
      parameters: array('Parameters passed to the model server on load.', object('One parameter.', { name: str('Name.'), value: str('Value.') }, ['name', 'value'])),
      preloaded: bool('Already on a server: do not schedule (default false).'),
      replicas: int32('How many server replicas load the model (default 1).'),
      requirements: strings('Capabilities a Server must offer to load the model, e.g. sklearn, tensorflow.'),
      schemaUri: str('Where the model\'s schema is.'),
      secretName: str('Secret with the storage credentials.'),
      server: str('The Server to load the model on; any matching one when unset.'),
      storageUri: str('Where the model artefact is, e.g. gs://seldon-models/mlserver/iris.'),
    },
    ['storageUri'],
  ),
  status: statusSchema('What the scheduler last reported.', {
    availableReplicas: int32('Replicas that serve the model.'),
    replicas: int32('Replicas the model is scheduled on.'),
    selector: str('Label selector of the server pods (for the scale subresource).'),
  }),
  columns: [
    conditionColumn('Ready', 'ModelReady', 'status', 'Model ready status'),
    { name: 'Desired Replicas', type: 'integer', description: 'Number of desired replicas', jsonPath: '.status.replicas' },
    { name: 'Available Replicas', type: 'integer', description: 'Number of replicas available to receive inference requests', jsonPath: '.status.availableReplicas' },
  ],
});

export const SERVER_CRD = seldonCrd({
  kind: 'Server',
  plural: 'servers',
  shortNames: ['mls'],
  description: 'A set of inference server replicas (MLServer, Triton) that models are loaded onto.',
  scale: true,
  spec: object(
    'Which server configuration to run and how many replicas.',
    {
      capabilities: strings('Capabilities the server offers, replacing its ServerConfig\'s.'),
      deploymentStrategy: opaque('How replicas are replaced on change.'),
      disableAutoUpdate: bool('Do not roll the server when its ServerConfig changes.'),
      extraCapabilities: strings('Capabilities added to its ServerConfig\'s.'),
      imageOverrides: opaque('Images to use instead of the ServerConfig\'s.'),
      maxReplicas: int32('Upper bound for autoscaling.'),
      minReplicas: int32('Lower bound for autoscaling.'),
      podSpec: opaque('Pod settings merged over the ServerConfig\'s.'),
      replicas: int32('Number of replicas (default 1).'),
      scalingSpec: opaque('Autoscaling settings.'),
      serverConfig: str('The ServerConfig to run, e.g. mlserver or triton.'),
      statefulSetPersistentVolumeClaimRetentionPolicy: opaque('What happens to the replicas\' volumes on scale-down and delete.'),
    },
    ['serverConfig'],
  ),
  status: statusSchema('What the operator last observed.', {
    availableReplicas: int32('Replicas that are ready.'),
    loadedModels: int32('Model replicas loaded on the server.'),
    replicas: int32('Replicas of the server.'),
    selector: str('Label selector of the server pods.'),
  }),
  columns: [
    conditionColumn('Ready', 'Ready', 'status', 'Server ready status'),
    { name: 'Replicas', type: 'integer', description: 'Number of replicas', jsonPath: '.status.replicas' },
    { name: 'Loaded models', type: 'integer', description: 'Number of loaded models', jsonPath: '.status.loadedModels' },
  ],
});

export const PIPELINE_CRD = seldonCrd({
  kind: 'Pipeline',
  plural: 'pipelines',
  shortNames: ['mlp'],
  description: 'A dataflow of model steps joined through Kafka topics.',
  spec: object(
    'The steps and how data flows between them.',
    {
      allowCycles: bool('Allow the pipeline to contain cycles.'),
      dataflow: object('Dataflow settings.', { cleanTopicsOnDelete: bool('Delete the pipeline\'s Kafka topics with it (default false).') }),
      input: object('Inputs taken from other pipelines (optional).', {
        externalInputs: strings('Steps of other pipelines to take data from.'),
        externalTriggers: strings('Steps of other pipelines that trigger this one.'),
        joinType: joinType('How the external inputs are joined.', true),
        joinWindowMs: int32(JOIN_WINDOW),
        tensorMap: stringMap(TENSOR_MAP),
        triggersJoinType: joinType('How the external triggers are joined.', true),
      }),
      maxStepRevisits: int32('How often a step may run again in a cyclic pipeline.'),
      output: object('What the pipeline answers with (optional).', {
        joinWindowMs: int32(JOIN_WINDOW),
        steps: strings('Steps (or step tensors) whose outputs form the answer.'),
        stepsJoin: joinType('How the output steps are joined.', true),
        tensorMap: stringMap(TENSOR_MAP),
      }),
      steps: array(
        'The steps of the pipeline.',
        object(
          'One step: the model it runs and where its inputs come from.',
          {
            batch: object('Batch the step\'s requests.', { rolling: bool('Slide the batch window.'), size: int32('Requests per batch.'), windowMs: int32('Longest wait for a batch, in ms.') }),
            inputs: strings('Where the step\'s inputs come from: step.outputs, step.outputs.TENSOR, pipeline.inputs.TENSOR.'),
            inputsJoinType: joinType('How several inputs are joined.', true),
            joinWindowMs: int32(JOIN_WINDOW),
            name: str('The step, named after the model it runs.'),
            tensorMap: stringMap(TENSOR_MAP),
            triggers: strings('Steps whose outputs must be present for this step to run.'),
            triggersJoinType: joinType('How several triggers are joined.', false),
          },
          ['name'],
        ),
      ),
    },
    ['steps'],
  ),
  status: statusSchema('What the scheduler last reported.'),
  columns: [conditionColumn('Ready', 'Ready', 'status', 'Pipeline ready status'), conditionColumn('Message', 'Ready', 'message', 'Status message')],
});

export const EXPERIMENT_CRD = seldonCrd({
  kind: 'Experiment',
  plural: 'experiments',
  shortNames: ['mlx'],
  description: 'Splits (and optionally mirrors) traffic between models or pipelines.',
  spec: object(
    'The candidates, their weights and the mirror.',
    {
      candidates: array('Where traffic goes, by weight.', object('One candidate.', { name: str('Model or pipeline.'), weight: int32('Relative share of traffic.') }, ['name', 'weight'])),
      default: str('The model or pipeline whose name the experiment answers for.'),
      mirror: object('Gets a copy of a share of the traffic; its answers are dropped.', { name: str('Model or pipeline.'), percent: int32('Share of traffic copied, in percent.') }, ['name', 'percent']),
      resourceType: str('model (the default) or pipeline.'),
    },
    ['candidates'],
  ),
  status: statusSchema('What the scheduler last reported.'),
  columns: [
    conditionColumn('Experiment ready', 'ExperimentReady', 'status', 'Experiment ready status'),
    conditionColumn('Candidates ready', 'CandidatesReady', 'status', 'Candidates ready status', 1),
    conditionColumn('Mirror ready', 'MirrorReady', 'status', 'Mirror ready status', 1),
    conditionColumn('Message', 'Ready', 'message', 'Status message'),
  ],
});

export const SELDON_RUNTIME_CRD = seldonCrd({
  kind: 'SeldonRuntime',
  plural: 'seldonruntimes',
  shortNames: ['mlsr'],
  description: 'The Seldon components (scheduler, envoy, gateways) of one namespace.',
  spec: object(
    'Which SeldonConfig to run and what to change in it.',
    {
      config: opaque('Settings merged over the SeldonConfig\'s.'),
      disableAutoUpdate: bool('Do not roll the runtime when its SeldonConfig changes.'),
      overrides: array('Per-component changes.', opaque('One component\'s changes.')),
      seldonConfig: str('The SeldonConfig to run, e.g. default.'),
    },
    ['seldonConfig'],
  ),
  status: statusSchema('What the operator last observed.'),
  columns: [conditionColumn('Ready', 'Ready', 'status', 'Runtime ready status')],
});

export const SELDON_CRDS: KubeObject[] = [MODEL_CRD, SERVER_CRD, PIPELINE_CRD, EXPERIMENT_CRD, SELDON_RUNTIME_CRD];
