/**
 * Resource URLs: `/api/v1/…` and `/apis/<group>/<version>/…`, namespaced or not, with an optional name and
 * subresource.
 */
import { ApiError } from '../../core/api-status.js';
import type { ResourceType, TypeRegistry } from '../store/resource-types.js';

export type Subresource = 'status' | 'scale' | 'log' | 'finalize';

export interface ResourceRoute {
  type: ResourceType;
  /** The version in the URL: objects go out with this apiVersion. */
  version: string;
  /** Set for namespaced URLs; undefined lists across namespaces. */
  namespace?: string;
  name?: string;
  subresource?: Subresource;
}

/** A route to one object (`…/<plural>/<name>[/<subresource>]`): the verbs on one object take only these. */
export type ObjectRoute = ResourceRoute & { name: string };

export type Route =
  | { kind: 'group-version'; group: string; version: string }
  | { kind: 'resource'; route: ResourceRoute };

/** Undefined when the path is not under /api/v1 or /apis/<g>/<v>. Throws 404 for an unknown resource. */
export function parseResourcePath(types: TypeRegistry, pathname: string): Route | undefined {
  const segments = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    [group, version, rest] = ['', segments[1]!, segments.slice(2)];
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    [group, version, rest] = [segments[1]!, segments[2]!, segments.slice(3)];
  } else {
    return undefined;
  }
  if (rest.length === 0) return { kind: 'group-version', group, version };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = types.byPlural(group, version, rest[2]!);
    if (candidate?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const [plural, name, sub, ...extra] = rest;
  const type = types.byPlural(group, version, plural!);
  if (!type || extra.length > 0) throw ApiError.of('NotFound', 'the server could not find the requested resource');
  const podLog = sub === 'log' && type.group === '' && type.kind === 'Pod';
  const finalize = sub === 'finalize' && type.group === '' && type.kind === 'Namespace';
  if (sub !== undefined && !((sub === 'status' && type.subresources.status) || (sub === 'scale' && type.subresources.scale) || podLog || finalize)) {
    throw ApiError.of('NotFound', 'the server could not find the requested resource');
  }
  if (!type.namespaced && namespace !== undefined) throw ApiError.of('NotFound', 'the server could not find the requested resource');
  return { kind: 'resource', route: { type, version, namespace, name, subresource: sub } };
}
