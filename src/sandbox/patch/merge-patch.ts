/**
 * JSON merge patch (RFC 7386) and the subset of Kubernetes strategic merge patch that built-in kinds need:
 * lists of named objects (containers, ports, env, …) merge by key, `$patch`, `$retainKeys`,
 * `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives; everything else behaves as a merge patch.
 * Which lists merge by which key is core's table, the one kubectl-style client apply uses too.
 */
import { isObject, type Json, type JsonObject } from '../../core/json.js';
import { mergeKeyFor } from '../../core/merge-keys.js';

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value) as Json;
  }
  return result;
}

/** Strategic merge patch over `target` (a built-in kind's object). */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const base: JsonObject = directive === 'replace' || !isObject(target) ? {} : { ...target };
  const result = base;
  let retainKeys: string[] | undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (key === '$retainKeys') {
      retainKeys = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
      continue;
    }
    // Ordering hints only; the merged order is good enough for a sandbox.
    if (key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      const merged = mergeList(key, result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      const merged = strategicMergePatch(result[key], value) as Json | undefined;
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  if (retainKeys) for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  return result;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] | undefined {
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace'));
  }
  const key = mergeKeyFor(field, patch);
  if (!key || !Array.isArray(current)) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'delete')).map((item) => strip(item));
  }
  const result = [...current];
  for (const item of patch.filter(isObject)) {
    const index = result.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index !== -1) result.splice(index, 1);
    } else if (index === -1) {
      result.push(strip(item));
    } else {
      result[index] = strategicMergePatch(result[index], item) as Json;
    }
  }
  return result;
}

/** A new list element carries no directives. */
function strip(item: Json): Json {
  return isObject(item) ? (strategicMergePatch({}, item) as Json) : item;
}
