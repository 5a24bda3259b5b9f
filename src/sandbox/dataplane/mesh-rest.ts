/**
 * The Open Inference Protocol over REST as the Seldon mesh serves it: the `seldon-model` header picks the model,
 * pipeline or experiment (Seldon rewrites the model name in the path), and the server behind answers in its
 * own format.
 *
 * Who answers a request that finds nothing (reference/seldon-istio-oip.md, "Routing and naming" and "Istio"):
 * - no VirtualService route at the Istio ingress: Istio's Envoy, an empty 404 (ingress.ts, rest-forward.ts);
 * - a route to seldon-mesh, but no model, pipeline or experiment of the `seldon-model` name: Seldon's Envoy,
 *   whose routes are per loaded name, so again an empty 404 (NoMeshRoute), relayed by the ingress with its
 *   `x-envoy-upstream-service-time`;
 * - a loaded MLServer model, but a path MLServer does not serve: MLServer's FastAPI, `{"detail":"Not Found"}`;
 * - a loaded model asked for another version: the server's own error JSON, `{"error":"Model iris with version
 *   9 not found"}`.
 * Over gRPC the first two are 12 UNIMPLEMENTED (Envoy's mapping of its 404) and the last is 5 NOT_FOUND.
 */
import { randomUUID } from 'node:crypto';
import { restBody } from './encode.js';
import type { Mesh, Resolved } from './mesh.js';
import { SERVER_METADATA } from './server-metadata.js';
import { checkVersion, modelMetadata } from './serving.js';
import { InferenceError, NoMeshRoute, type InferRequest, type Tensor, type TensorValue } from './tensor.js';

/** An upstream answer before the ingress adds Envoy's headers. */
export interface UpstreamReply {
  status: number;
  contentType?: string;
  body: string;
  /** Headers the mesh adds (`seldon-route`, `x-seldon-route`), in order. */
  headers: Array<[string, string]>;
}

/** What the mesh needs of one REST request. */
export interface RestCall {
  namespace: string;
  /** The `seldon-model` header after the route's rewrites. */
  seldonModel: string | undefined;
  /** The values of `x-seldon-route` (a sticky session's routes), if any. */
  routes?: readonly string[];
  method: string;
  path: string;
  body: Buffer;
  /** The caller's `x-request-id`, if any. */
  requestId: string | undefined;
}

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?\/?$/;
const PIPELINE_PATH = /^\/v2\/pipelines\/([^/]+)\/infer\/?$/;
const JSON_TYPE = 'application/json';

/** Answers one REST request behind the mesh. */
export async function handleRest(mesh: Mesh, call: RestCall): Promise<UpstreamReply> {
  try {
    const path = call.path.split('?')[0] ?? call.path;
    const pipelinePath = PIPELINE_PATH.exec(path);
    const header = pipelinePath ? `${decodeURIComponent(pipelinePath[1] ?? '')}.pipeline` : call.seldonModel;
    const resolved = mesh.resolve(call.namespace, header, call.routes);
    return await answer(mesh, resolved, call, pipelinePath ? 'infer' : path);
  } catch (error) {
    if (error instanceof NoMeshRoute) return { status: 404, body: '', headers: [] };
    if (error instanceof InferenceError) return errorReply(error.status, error.message);
    throw error;
  }
}

async function answer(mesh: Mesh, resolved: Resolved, call: RestCall, path: string): Promise<UpstreamReply> {
  const { target } = resolved;
  const route: Array<[string, string]> =
    target.kind === 'model' ? [['seldon-route', target.model.servedName], ['x-seldon-route', `:${target.model.servedName}:`]] : [];
  if (path === 'infer') return infer(mesh, resolved, call);
  if (path === '/v2/health/live' || path === '/v2/health/ready') {
    expectMethod(call.method, 'GET');
    return { status: 200, body: '', headers: route };
  }
  if (path === '/v2' || path === '/v2/') {
    expectMethod(call.method, 'GET');
    return json(200, SERVER_METADATA[target.kind === 'model' ? target.model.model.server : 'mlserver'], route);
  }
  const match = MODEL_PATH.exec(path);
  if (!match) return notFound(target);
  if (target.kind === 'model') checkVersion(target.model, match[2] === undefined ? undefined : decodeURIComponent(match[2]));
  if (match[3] === '/infer') return infer(mesh, resolved, call);
  expectMethod(call.method, 'GET');
  if (target.kind !== 'model') {
    if (match[3] === '/ready') return { status: 200, body: '', headers: route };
    return notFound(target);
  }
  if (match[3] === '/ready') return { status: 200, body: '', headers: route };
  return json(200, modelMetadata(target.model), route);
}

async function infer(mesh: Mesh, resolved: Resolved, call: RestCall): Promise<UpstreamReply> {
  expectMethod(call.method, 'POST');
  const request = parseInferRequest(call.body);
  const answer = await mesh.infer(call.namespace, resolved, request, call.requestId);
  const result = answer.answerer === 'mlserver' ? { ...answer.result, id: answer.result.id || randomUUID() } : answer.result;
  const headers = answer.answerer === 'pipeline' ? answer.headers : [['seldon-route', result.modelName] as [string, string], ...answer.headers];
  return { status: 200, contentType: JSON_TYPE, body: restBody(answer.answerer, result), headers };
}

/** Parses an OIP request body; errors name the field, as MLServer's validation does. */
export function parseInferRequest(body: Buffer): InferRequest {
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InferenceError(400, `Invalid JSON in request body: ${(error as Error).message}`);
  }
  if (!request || typeof request !== 'object' || !Array.isArray((request as { inputs?: unknown }).inputs)) {
    throw new InferenceError(400, 'Request body must be an object with an "inputs" array');
  }
  const { id, inputs, outputs } = request as { id?: unknown; inputs: unknown[]; outputs?: unknown };
  const requested = Array.isArray(outputs)
    ? outputs.flatMap((o) => (o && typeof o === 'object' && typeof (o as { name?: unknown }).name === 'string' ? [(o as { name: string }).name] : []))
    : undefined;
  return {
    id: typeof id === 'string' ? id : undefined,
    inputs: inputs.map((input, index) => parseInput(input, index)),
    ...(requested ? { outputs: requested } : {}),
  };
}

function parseInput(input: unknown, index: number): Tensor {
  const tensor = (input ?? {}) as { name?: unknown; shape?: unknown; datatype?: unknown; data?: unknown };
  const where = `inputs[${index}]`;
  if (typeof tensor.name !== 'string') throw new InferenceError(400, `${where}.name must be a string`);
  if (typeof tensor.datatype !== 'string') throw new InferenceError(400, `${where}.datatype must be a string`);
  if (!Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isInteger(d))) {
    throw new InferenceError(400, `${where}.shape must be an array of integers`);
  }
  if (!Array.isArray(tensor.data)) throw new InferenceError(400, `${where}.data must be an array`);
  const data: TensorValue[] = [];
  flatten(tensor.data, data, where);
  const size = (tensor.shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new InferenceError(400, `Unable to parse 'data': Shape does not match true shape of 'data' field`);
  }
  return { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape as number[], data };
}

/** Data may be nested like the shape or already flat; either way it is row-major. */
function flatten(value: unknown[], out: TensorValue[], where: string): void {
  for (const item of value) {
    if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'string') out.push(item);
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

/** A path the server behind does not serve: MLServer's web framework answers `{"detail":"Not Found"}`. */
function notFound(target: Resolved['target']): UpstreamReply {
  if (target.kind === 'model' && target.model.model.server === 'mlserver') return json(404, { detail: 'Not Found' }, []);
  return errorReply(404, 'Not Found');
}

function errorReply(status: number, message: string): UpstreamReply {
  // A pipeline whose output never comes ends in Envoy's own timeout reply, in plain text.
  if (status === 504) return { status, contentType: 'text/plain', body: message, headers: [] };
  return { status, contentType: JSON_TYPE, body: JSON.stringify({ error: message }), headers: [] };
}
