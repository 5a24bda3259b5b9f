/**
 * The Open Inference Protocol over REST as the Seldon mesh serves it: the `seldon-model` header picks the loaded
 * model (Seldon rewrites the model name in the path), and MLServer answers.
 */
import { randomUUID } from 'node:crypto';
import { checkVersion, infer, InferenceError, modelMetadata, SERVER_METADATA, type InputTensor } from './inference.js';
import type { InMemoryModelRegistry, LoadedModel } from './registry.js';

/** An upstream answer before the ingress adds Envoy's headers. */
export interface UpstreamReply {
  status: number;
  contentType?: string;
  body: string;
  /** Headers the mesh adds (`seldon-route`), in order. */
  headers: Array<[string, string]>;
}

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?\/?$/;
const JSON_TYPE = 'application/json';
/** The namespace whose models the mesh serves until routes carry one. */
export const MESH_NAMESPACE = 'seldon-mesh';

/** Answers one REST request behind the mesh; `model` is the `seldon-model` header after the route's rewrites. */
export function handleRest(
  registry: InMemoryModelRegistry,
  model: string | undefined,
  method: string,
  rawPath: string,
  body: Buffer,
): UpstreamReply {
  try {
    const loaded = model ? registry.get(MESH_NAMESPACE, model) : undefined;
    if (!loaded) throw new InferenceError(404, model ? `Model ${model} not found` : 'No model named in seldon-model header');
    return answer(loaded, method, rawPath.split('?')[0] ?? rawPath, body);
  } catch (error) {
    if (error instanceof InferenceError) return errorReply(error.status, error.message);
    throw error;
  }
}

function answer(model: LoadedModel, method: string, path: string, body: Buffer): UpstreamReply {
  const route: Array<[string, string]> = [['seldon-route', model.servedName]];
  if (path === '/v2/health/live' || path === '/v2/health/ready') {
    expectMethod(method, 'GET');
    return { status: 200, body: '', headers: route };
  }
  if (path === '/v2' || path === '/v2/') {
    expectMethod(method, 'GET');
    return json(200, SERVER_METADATA, route);
  }
  const match = MODEL_PATH.exec(path);
  if (!match) throw new InferenceError(404, 'Not Found');
  checkVersion(model, match[2] === undefined ? undefined : decodeURIComponent(match[2]));
  switch (match[3]) {
    case undefined:
      expectMethod(method, 'GET');
      return json(200, modelMetadata(model), route);
    case '/ready':
      expectMethod(method, 'GET');
      return { status: 200, body: '', headers: route };
    default: {
      expectMethod(method, 'POST');
      const request = parseInferRequest(body);
      const result = infer(model, request);
      // Key order and nulls as MLServer 1.x serialised them in 2022.
      const response = {
        model_name: result.modelName,
        model_version: result.modelVersion,
        id: result.id || randomUUID(),
        parameters: null,
        outputs: result.outputs.map((o) => ({ name: o.name, shape: o.shape, datatype: o.datatype, parameters: null, data: o.data })),
      };
      return json(200, response, route);
    }
  }
}

function parseInferRequest(body: Buffer): { id?: string; inputs: InputTensor[] } {
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InferenceError(400, `Invalid JSON in request body: ${(error as Error).message}`);
  }
  if (!request || typeof request !== 'object' || !Array.isArray((request as { inputs?: unknown }).inputs)) {
    throw new InferenceError(400, 'Request body must be an object with an "inputs" array');
  }
  const { id, inputs } = request as { id?: unknown; inputs: unknown[] };
  return {
    id: typeof id === 'string' ? id : undefined,
    inputs: inputs.map((input, index) => parseInput(input, index)),
  };
}

function parseInput(input: unknown, index: number): InputTensor {
  const tensor = (input ?? {}) as { name?: unknown; shape?: unknown; datatype?: unknown; data?: unknown };
  const where = `inputs[${index}]`;
  if (typeof tensor.name !== 'string') throw new InferenceError(400, `${where}.name must be a string`);
  if (typeof tensor.datatype !== 'string') throw new InferenceError(400, `${where}.datatype must be a string`);
  if (!Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isInteger(d))) {
    throw new InferenceError(400, `${where}.shape must be an array of integers`);
  }
  if (!Array.isArray(tensor.data)) throw new InferenceError(400, `${where}.data must be an array`);
  const data: Array<number | boolean> = [];
  flatten(tensor.data, data, where);
  return { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape as number[], data };
}

/** Data may be nested like the shape or already flat; either way it is row-major. */
function flatten(value: unknown[], out: Array<number | boolean>, where: string): void {
  for (const item of value) {
    if (typeof item === 'number' || typeof item === 'boolean') out.push(item);
    else if (Array.isArray(item)) flatten(item, out, where);
    else throw new InferenceError(400, `${where}.data must hold numbers, got ${JSON.stringify(item)}`);
  }
}

function expectMethod(method: string, expected: 'GET' | 'POST'): void {
  if (method !== expected) throw new InferenceError(405, `Method ${method} not allowed; use ${expected}`);
}

function json(status: number, value: unknown, headers: Array<[string, string]>): UpstreamReply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value), headers };
}

function errorReply(status: number, message: string): UpstreamReply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify({ error: message }), headers: [] };
}
