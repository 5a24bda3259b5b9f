/** The model zoo: every storage URI the sandbox can serve, one file per model, looked up by URI. */
import { createHash } from 'node:crypto';
import { ModelLoadError, type ModelArtefact } from '../../types.js';
import { add10 } from './add10.js';
import { add20 } from './add20.js';
import { conditional } from './conditional.js';
import { iris } from './iris.js';
import type { KnownModel, ZooEntry } from './model.js';
import { mul10 } from './mul10.js';
import { tfsimple } from './tfsimple.js';
import { check, idNode, joinNode } from './unavailable.js';

export type { KnownModel } from './model.js';

export const ZOO: readonly ZooEntry[] = [iris, tfsimple, add10, mul10, add20, conditional, idNode, joinNode, check];

function find(uri: string): ZooEntry | undefined {
  return ZOO.find((entry) => entry.uris.some((pattern) => pattern.test(uri)));
}

const KNOWN_NAMES = ZOO.filter((e) => e.kind === 'known').map((e) => e.id).join(', ');

/**
 * The model behind `uri`. Otherwise throws ModelLoadError: one message that starts as Seldon's agent reports a
 * failed copy (naming the URI and its rclone folder) and says why the sandbox has nothing to serve.
 */
export function modelFor(uri: string): KnownModel {
  const entry = find(uri);
  if (entry?.kind === 'known') return entry;
  const folder = Number.parseInt(createHash('sha1').update(uri).digest('hex').slice(0, 8), 16);
  const why = entry
    ? `${entry.why}`
    : `the sandbox cannot serve a trained artefact it does not have (it serves only Seldon's sample models whose behaviour is known exactly: ${KNOWN_NAMES})`;
  throw new ModelLoadError('ModelFailed', `Failed to sync/copy ${uri} to /mnt/agent/rclone/${folder}: ${why}`);
}

/** What `uri` holds, for scheduling; undefined when it cannot be served. */
export function artefactOf(uri: string): ModelArtefact | undefined {
  const entry = find(uri);
  if (entry?.kind !== 'known') return undefined;
  return {
    storageUri: uri,
    requirements: [...entry.requirements],
    server: entry.server,
    platform: entry.platform,
    inputs: entry.inputs.map((t) => ({ ...t, shape: [...t.shape] })),
    outputs: entry.outputs.map((t) => ({ ...t, shape: [...t.shape] })),
  };
}
