/**
 * Traffic splits: which models a VirtualService route spreads requests over, so that a recorded
 * `iris1_1` also accepts `iris2_1` when the runbook applied a 50/50 split between iris1 and iris2.
 */
import { isObject } from '../core/json.js';
import type { SplitDestination, SplitInfo } from './types.js';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The model splits of the VirtualServices among `objects` (applied manifests, oldest first). A later manifest of
 * the same namespace and name replaces an earlier one. Only rules that reach two or more models count.
 */
export function splitsFromManifests(objects: readonly unknown[]): SplitInfo[] {
  const latest = new Map<string, Record<string, unknown>>();
  for (const o of objects) {
    if (!isObject(o) || o.kind !== 'VirtualService') continue;
    const meta = isObject(o.metadata) ? o.metadata : {};
    latest.delete(`${str(meta.namespace) ?? ''}/${str(meta.name) ?? ''}`);
    latest.set(`${str(meta.namespace) ?? ''}/${str(meta.name) ?? ''}`, o);
  }
  const splits: SplitInfo[] = [];
  for (const vs of latest.values()) {
    const meta = isObject(vs.metadata) ? vs.metadata : {};
    const spec = isObject(vs.spec) ? vs.spec : {};
    for (const rule of asArray(spec.http).filter(isObject)) {
      const routes = asArray(rule.route).filter(isObject);
      const destinations: SplitDestination[] = routes.map((r) => {
        const set = isObject(r.headers) && isObject(r.headers.request) && isObject(r.headers.request.set) ? r.headers.request.set : {};
        const weight = typeof r.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0;
        const destination = isObject(r.destination) ? r.destination : {};
        const model = str(set['seldon-model']);
        return { host: str(destination.host) ?? '', weight, ...(model !== undefined ? { model } : {}) };
      });
      if (new Set(destinations.map((d) => d.model).filter((m) => m !== undefined)).size < 2) continue;
      const name = str(meta.namespace);
      const route = str(rule.name);
      splits.push({
        ...(name !== undefined ? { namespace: name } : {}),
        virtualService: str(meta.name) ?? '',
        ...(route !== undefined ? { route } : {}),
        uris: uriMatches(rule.match),
        destinations,
      });
    }
  }
  return splits;
}

function uriMatches(match: unknown): SplitInfo['uris'] {
  const uris: SplitInfo['uris'] = [];
  for (const m of asArray(match).filter(isObject)) {
    if (!isObject(m.uri)) continue;
    for (const type of ['exact', 'prefix', 'regex'] as const) {
      const value = str(m.uri[type]);
      if (value !== undefined) uris.push({ type, value });
    }
  }
  return uris;
}

/** `iris1_1` → iris1 version 1; `:iris_1:` (x-seldon-route) → iris version 1; `iris` → iris. */
export function modelName(value: string): { base: string; version?: string } {
  const bare = value.replace(/^:+|:+$/g, '');
  const m = /^(.+)_(\d+)$/.exec(bare);
  return m ? { base: m[1]!, version: m[2]! } : { base: bare };
}

function routeMatches(split: SplitInfo, path: string | undefined): boolean {
  if (path === undefined || split.uris.length === 0) return true;
  return split.uris.some((u) => {
    if (u.type === 'exact') return path === u.value;
    if (u.type === 'prefix') return path.startsWith(u.value);
    try {
      return new RegExp(`^(?:${u.value})$`).test(path);
    } catch {
      return false;
    }
  });
}

/** The split that covers a recorded model name (and the request path, when known). */
export function splitCovering(splits: readonly SplitInfo[], recorded: string, path?: string): SplitInfo | undefined {
  const { base } = modelName(recorded);
  return splits.find((s) => s.destinations.some((d) => d.model === base) && routeMatches(s, path));
}

/**
 * True when `actual` names another destination of the split that covers `recorded`: any version of any model
 * the split sends traffic to, written in the same form (versioned or not).
 */
export function splitAccepts(splits: readonly SplitInfo[], recorded: string, actual: string, path?: string): boolean {
  const split = splitCovering(splits, recorded, path);
  if (!split) return false;
  const e = modelName(recorded);
  const a = modelName(actual);
  if ((e.version === undefined) !== (a.version === undefined)) return false;
  return split.destinations.some((d) => d.model === a.base && d.weight > 0);
}

/** The path part of a URL as written in a runbook (variables unexpanded): `http://${IP}/v2/x?y` → `/v2/x`. */
export function urlPath(url: string): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#]*(\/[^?#]*)?/i.exec(url);
  return m ? (m[1] ?? '/') : undefined;
}

/** The HTTP/2 path of a gRPC call: `inference.GRPCInferenceService/ModelInfer` or `….ModelInfer`. */
export function grpcPath(method: string): string {
  const slash = method.includes('/') ? method : method.replace(/\.([^.]+)$/, '/$1');
  return `/${slash.replace(/^\//, '')}`;
}

/** The candidate names of the Seldon Experiments among `objects` (manifests, oldest first), one list per experiment. */
export function experimentsFromManifests(objects: readonly unknown[]): string[][] {
  const latest = new Map<string, string[]>();
  for (const o of objects) {
    if (!isObject(o) || o.kind !== 'Experiment' || !str(o.apiVersion)?.startsWith('mlops.seldon.io/')) continue;
    const meta = isObject(o.metadata) ? o.metadata : {};
    const spec = isObject(o.spec) ? o.spec : {};
    const names = asArray(spec.candidates)
      .filter(isObject)
      .map((c) => str(c.name))
      .filter((n): n is string => n !== undefined);
    const key = `${str(meta.namespace) ?? ''}/${str(meta.name) ?? ''}`;
    latest.delete(key);
    if (names.length > 1) latest.set(key, names);
  }
  return [...latest.values()];
}
