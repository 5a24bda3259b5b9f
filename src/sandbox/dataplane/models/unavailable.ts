/**
 * Sample models of Seldon's pipeline docs whose code is not published (SeldonIO/triton-python-examples has only
 * add10, mul10 and conditional): the sandbox cannot know what they compute, so loading them fails, saying so.
 */
import type { UnavailableModel } from './model.js';
import { pythonExampleUris } from './scalar-python.js';

function unpublished(id: string): UnavailableModel {
  return {
    kind: 'unavailable',
    id,
    uris: pythonExampleUris(id),
    why: `the code of Seldon's ${id} sample model is not published, so the sandbox cannot know what it computes and cannot serve a trained artefact it does not have`,
  };
}

export const idNode = unpublished('id_node');
export const joinNode = unpublished('join_node');
export const check = unpublished('check');
