/**
 * Where a model goes, as Seldon's scheduler decides it: Servers that offer every required capability (and are
 * the pinned one, when the Model names a server), then the first of them with enough replicas that have the
 * memory left. The failure reasons are Seldon's own words.
 */
import type { ModelDefinition, ServerStatusRecord } from './types.js';
import { keyOf } from './types.js';

export const NO_MATCHING_SERVERS = 'Failed to schedule model as no matching servers are available';
export const NOT_ENOUGH_REPLICAS = 'Failed to schedule model as no matching server had enough suitable replicas';

export type Placement = { ok: true; server: ServerStatusRecord; replicas: number[] } | { ok: false; reason: string };

/** Memory left on one replica, not counting the model being placed (its older version frees its share). */
function freeMemory(server: ServerStatusRecord, replica: number, modelKey: string): number {
  let used = 0;
  for (const [key, bytes] of server.loaded[replica] ?? new Map<string, number>()) if (key !== modelKey) used += bytes;
  return server.definition.memoryBytes - used;
}

/** `servers` in preference order: the model's namespace's own first, then the shared ones. */
export function place(model: ModelDefinition, servers: ServerStatusRecord[]): Placement {
  const modelKey = keyOf(model.namespace, model.name);
  const matching = servers.filter(
    (s) =>
      s.definition.replicas > 0 &&
      (model.server === undefined || model.server === '' || s.definition.name === model.server) &&
      model.requirements.every((r) => s.definition.capabilities.includes(r.trim())),
  );
  if (matching.length === 0) return { ok: false, reason: NO_MATCHING_SERVERS };
  const wanted = Math.max(1, model.replicas);
  const memory = model.memoryBytes ?? 0;
  for (const server of matching) {
    const fitting = [...Array(server.definition.replicas).keys()]
      .filter((i) => freeMemory(server, i, modelKey) >= memory)
      // Emptiest replicas first, as Seldon's replica sorter prefers the most available memory.
      .sort((a, b) => freeMemory(server, b, modelKey) - freeMemory(server, a, modelKey) || a - b);
    if (fitting.length >= wanted) return { ok: true, server, replicas: fitting.slice(0, wanted).sort((a, b) => a - b) };
  }
  return { ok: false, reason: NOT_ENOUGH_REPLICAS };
}
