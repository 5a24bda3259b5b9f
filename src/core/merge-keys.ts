/**
 * The list fields of built-in kinds that strategic merge patches merge by key (`x-kubernetes-patch-merge-key`),
 * shared by kubectl's client-side apply (what patch to send) and the sandbox's API server (how to apply it), so
 * both sides agree on every list. Lists not named here are replaced whole, as strategic merge does.
 */
import { isObject } from './json.js';

const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  hostAliases: ['ip'],
  // Service ports merge on `port`, container ports on `containerPort`: the first key every item carries wins.
  ports: ['containerPort', 'port'],
  conditions: ['type'],
  topologySpreadConstraints: ['topologyKey'],
  ownerReferences: ['uid'],
};

/** The key a list field merges by, when it is a keyed list and every item is an object that carries the key. */
export function mergeKeyFor(field: string, items: readonly unknown[]): string | undefined {
  const candidates = MERGE_KEYS[field];
  if (!candidates || !items.every(isObject)) return undefined;
  return candidates.find((key) => items.every((item) => Object.hasOwn(item as object, key)));
}
