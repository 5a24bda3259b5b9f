/**
 * `PUT /api/v1/namespaces/NAME/finalize`: the one way to change a Namespace's spec.finalizers. The namespace
 * controller empties it once the namespace is empty; users use it (`kubectl replace --raw …/finalize -f -`) to
 * release a namespace stuck Terminating. An empty list on a Terminating namespace deletes it.
 */
import { ApiError } from '../../core/api-status.js';
import { isObject } from '../../core/json.js';
import type { KubeObject } from '../types.js';
import type { HandlerContext, Reply } from './handlers.js';
import { present } from './handlers.js';
import { parseJsonObject } from './http-util.js';
import type { ObjectRoute } from './routes.js';

export function finalizeNamespace(ctx: HandlerContext, route: ObjectRoute, query: URLSearchParams, text: string): Reply {
  const body = parseJsonObject(text);
  const metadata = isObject(body.metadata) ? body.metadata : {};
  if (metadata.name !== undefined && metadata.name !== route.name) {
    throw ApiError.of('BadRequest', `the name of the object (${String(metadata.name)}) does not match the name on the URL (${route.name})`);
  }
  const finalizers = isObject(body.spec) && Array.isArray(body.spec.finalizers) ? body.spec.finalizers : [];
  const current = ctx.store.get(route.type, undefined, route.name);
  const resourceVersion = typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
  const next: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion }, spec: { ...current.spec, finalizers } };
  const updated = ctx.store.update(route.type, next, { subresource: 'finalize', dryRun: query.getAll('dryRun').includes('All') });
  return { code: 200, body: present(route.type, route.version, updated) };
}
