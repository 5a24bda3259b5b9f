/** Seldon's sample models and pipelines (samples/models, samples/pipelines) and a fetch over the mesh listener. */
import type { DataPlane } from '../../../src/sandbox/types.js';
import type { PipelineSpec } from '../../../src/sandbox/types.js';

export const NS = 'seldon-mesh';
export const URIS = {
  iris: 'gs://seldon-models/mlserver/iris',
  iris2: 'gs://seldon-models/scv2/samples/rolling/iris/v2',
  tfsimple: 'gs://seldon-models/triton/simple',
  add10: 'gs://seldon-models/triton/add10',
  mul10: 'gs://seldon-models/triton/mul10',
  add20: 'gs://seldon-models/triton/add20',
  conditional: 'gs://seldon-models/triton/conditional',
} as const;

/** Loads `name` from `uri` (version 1) in namespace `namespace`. */
export function load(plane: DataPlane, name: string, uri: string, namespace = NS, version = 1): Promise<void> {
  return plane.registry.load({ namespace, name, version, storageUri: uri, server: uri.includes('triton') ? 'triton' : 'mlserver' });
}

export function loadPipeline(plane: DataPlane, name: string, spec: PipelineSpec, namespace = NS): Promise<void> {
  return plane.pipelines.load({ namespace, name, version: 1, uid: 'cg5g6m46dpcs73c4qhl0', spec });
}

export const SEQ = Array.from({ length: 16 }, (_, i) => i + 1);
export const TFSIMPLE_REQUEST = {
  inputs: [
    { name: 'INPUT0', data: SEQ, datatype: 'INT32', shape: [1, 16] },
    { name: 'INPUT1', data: SEQ, datatype: 'INT32', shape: [1, 16] },
  ],
};

export const TFSIMPLES: PipelineSpec = {
  steps: [
    { name: 'tfsimple1' },
    { name: 'tfsimple2', inputs: ['tfsimple1'], tensorMap: { 'tfsimple1.outputs.OUTPUT0': 'INPUT0', 'tfsimple1.outputs.OUTPUT1': 'INPUT1' } },
  ],
  output: { steps: ['tfsimple2'] },
};

export const JOIN: PipelineSpec = {
  steps: [
    { name: 'tfsimple1' },
    { name: 'tfsimple2' },
    {
      name: 'tfsimple3',
      inputs: ['tfsimple1.outputs.OUTPUT0', 'tfsimple2.outputs.OUTPUT1'],
      tensorMap: { 'tfsimple1.outputs.OUTPUT0': 'INPUT0', 'tfsimple2.outputs.OUTPUT1': 'INPUT1' },
    },
  ],
  output: { steps: ['tfsimple3'] },
};

export const CONDITIONAL: PipelineSpec = {
  steps: [
    { name: 'conditional' },
    { name: 'mul10', inputs: ['conditional.outputs.OUTPUT0'], tensorMap: { 'conditional.outputs.OUTPUT0': 'INPUT' } },
    { name: 'add10', inputs: ['conditional.outputs.OUTPUT1'], tensorMap: { 'conditional.outputs.OUTPUT1': 'INPUT' } },
  ],
  output: { steps: ['mul10', 'add10'], stepsJoin: 'any' },
};

export const TRIGGER_JOINS: PipelineSpec = {
  steps: [
    { name: 'mul10', inputs: ['trigger-joins.inputs.INPUT'], triggers: ['trigger-joins.inputs.ok1', 'trigger-joins.inputs.ok2'], triggersJoinType: 'any' },
    { name: 'add10', inputs: ['trigger-joins.inputs.INPUT'], triggers: ['trigger-joins.inputs.ok3'] },
  ],
  output: { steps: ['mul10', 'add10'], stepsJoin: 'any' },
};

export const TFSIMPLE: PipelineSpec = { steps: [{ name: 'tfsimple1' }], output: { steps: ['tfsimple1'] } };
export const TFSIMPLE_EXTENDED: PipelineSpec = {
  input: { externalInputs: ['tfsimple.outputs'], tensorMap: { 'tfsimple.outputs.OUTPUT0': 'INPUT0', 'tfsimple.outputs.OUTPUT1': 'INPUT1' } },
  steps: [{ name: 'tfsimple2' }],
  output: { steps: ['tfsimple2'] },
};

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

/** POSTs `body` to `url` with `headers` over a real socket. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

/** Waits until `check` stops throwing (chained pipelines run after the answer). */
export async function eventually<T>(check: () => T, timeoutMs = 2000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
