/**
 * The verbs on resources (everything but WATCH): GET, LIST, POST, PUT, PATCH, DELETE and the status and scale
 * subresources. Each returns the HTTP code and body; the server writes them.
 */
import { parse as parseYaml } from 'yaml';
import { isObject } from '../../core/json.js';
import type { KubeObject } from '../types.js';
import { ApiError } from '../../core/api-status.js';
import { invalid, notFound } from '../store/api-error.js';
import type { FieldValidation, Store, WriteOptions } from '../store/store.js';
import { selectorFor } from '../store/selectors.js';
import type { ResourceType } from '../store/resource-types.js';
import { apiVersionOf } from '../store/resource-types.js';
import type { AppliedConfigs} from '../patch/apply.js';
import { managedApply, managedUpdate, managerOf } from '../apply/writes.js';
import { JsonPatchError, applyJsonPatch } from '../patch/json-patch.js';
import { mergePatch, strategicMergePatch } from '../patch/merge-patch.js';
import { deleteOptionsOf } from './delete-options.js';
import { scaleOf, writeScale } from './scale.js';
import { parseJsonObject } from './http-util.js';
import type { ObjectRoute, ResourceRoute } from './routes.js';

export interface Reply {
  code: number;
  body: unknown;
  /** Sent as `Warning: 299 - "…"` headers; kubectl prints each as `Warning: …`. */
  warnings?: string[];
}

export interface HandlerContext {
  store: Store;
  applied: AppliedConfigs;
  /** The User-Agent of the request being handled (set by the server before each synchronous handler call). */
  userAgent?: string;
}

/** The object as the URL's version serves it. */
export function present(type: ResourceType, version: string, object: KubeObject): KubeObject {
  return { ...object, apiVersion: apiVersionOf(type.group, version), kind: type.kind };
}

function bodyObject(route: ResourceRoute, text: string): KubeObject {
  const body = parseJsonObject(text) as Partial<KubeObject>;
  const { type } = route;
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw ApiError.of('BadRequest', `the kind in the body (${String(body.kind)}) does not match the kind of the URL (${type.kind})`);
  }
  if (body.apiVersion !== undefined && !type.versions.some((v) => apiVersionOf(type.group, v) === body.apiVersion)) {
    throw ApiError.of('BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(type.group, route.version)})`);
  }
  const metadata = body.metadata;
  if (metadata !== undefined && !isObject(metadata)) {
    throw invalid(type, '', 'metadata', 'Invalid value: must be an object');
  }
  const object = { ...body, apiVersion: apiVersionOf(type.group, route.version), kind: type.kind, metadata: { ...(metadata ?? {}) } } as KubeObject;
  if (route.namespace !== undefined) {
    if (object.metadata.namespace && object.metadata.namespace !== route.namespace) {
      throw ApiError.of('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = route.namespace;
  }
  if (route.name !== undefined) {
    if (object.metadata.name && object.metadata.name !== route.name) {
      throw ApiError.of('BadRequest', `the name of the object (${object.metadata.name}) does not match the name on the URL (${route.name})`);
    }
    object.metadata.name = route.name;
  }
  return object;
}

function dryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

/** The write options of a request's query: dry run, and how to treat unknown fields (Warn when not said). */
function writeOptions(query: URLSearchParams): WriteOptions & { warnings: string[] } {
  const asked = query.get('fieldValidation');
  const fieldValidation: FieldValidation = asked === 'Strict' || asked === 'Ignore' ? asked : 'Warn';
  return { dryRun: dryRun(query), fieldValidation, warnings: [] };
}

export function list(ctx: HandlerContext, route: ResourceRoute, query: URLSearchParams): Reply {
  const select = selectorFor(query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
  let items = ctx.store.select(route.type, route.namespace).filter(select);
  let resourceVersion = ctx.store.resourceVersion;
  const token = query.get('continue');
  if (token) {
    let start: { key: string; rv: string };
    try {
      start = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { key: string; rv: string };
    } catch {
      throw ApiError.of('BadRequest', 'invalid continue token');
    }
    items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > start.key);
    resourceVersion = start.rv;
  }
  const limit = Number(query.get('limit') ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion };
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    metadata.continue = Buffer.from(JSON.stringify({ key: `${last.metadata.namespace ?? ''}/${last.metadata.name}`, rv: resourceVersion })).toString('base64url');
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  return {
    code: 200,
    body: {
      kind: route.type.listKind,
      apiVersion: apiVersionOf(route.type.group, route.version),
      metadata,
      items: items.map((o) => present(route.type, route.version, o)),
    },
  };
}

export function get(ctx: HandlerContext, route: ObjectRoute): Reply {
  const object = ctx.store.get(route.type, route.namespace, route.name);
  return { code: 200, body: route.subresource === 'scale' ? scaleOf(route.type, object) : present(route.type, route.version, object) };
}

export function create(ctx: HandlerContext, route: ResourceRoute, query: URLSearchParams, text: string): Reply {
  const object = managedUpdate(route.type, managerOf(query, ctx.userAgent), undefined, bodyObject(route, text));
  const options = writeOptions(query);
  const created = ctx.store.create(route.type, object, options);
  return { code: 201, body: present(route.type, route.version, created), warnings: options.warnings };
}

export function replace(ctx: HandlerContext, route: ObjectRoute, query: URLSearchParams, text: string): Reply {
  if (route.subresource === 'scale') return writeScale(ctx.store, route, dryRun(query), parseJsonObject(text));
  const current = ctx.store.find(route.type, route.namespace, route.name);
  const object = managedUpdate(route.type, managerOf(query, ctx.userAgent), current && present(route.type, route.version, current), bodyObject(route, text), route.subresource);
  const options = writeOptions(query);
  const updated = ctx.store.update(route.type, object, { ...options, subresource: route.subresource === 'status' ? 'status' : undefined });
  return { code: 200, body: present(route.type, route.version, updated), warnings: options.warnings };
}

export function remove(ctx: HandlerContext, route: ObjectRoute, query: URLSearchParams, text: string): Reply {
  const options = deleteOptionsOf(query, text);
  const deleted = ctx.store.delete(route.type, route.namespace, route.name, options);
  if (!options.dryRun) ctx.applied.forget(deleted.metadata.uid ?? '');
  return { code: 200, body: present(route.type, route.version, deleted) };
}

export function removeCollection(ctx: HandlerContext, route: ResourceRoute, query: URLSearchParams, text: string): Reply {
  // Namespaces have no deletecollection (their REST storage does not offer it): kubectl deletes them one by one.
  if (route.type.group === '' && route.type.kind === 'Namespace') {
    throw ApiError.of('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  const options = deleteOptionsOf(query, text);
  const select = selectorFor(query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
  const items = ctx.store.select(route.type, route.namespace).filter(select);
  const deleted = items.map((o) => ctx.store.delete(route.type, o.metadata.namespace, o.metadata.name, { dryRun: options.dryRun, gracePeriodSeconds: options.gracePeriodSeconds, propagationPolicy: options.propagationPolicy }));
  return {
    code: 200,
    body: {
      kind: route.type.listKind,
      apiVersion: apiVersionOf(route.type.group, route.version),
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items: deleted.map((o) => present(route.type, route.version, o)),
    },
  };
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const media = (contentType ?? '').replace(/;.*/s, '').trim().toLowerCase();
  const types: Record<string, PatchType> = {
    'application/merge-patch+json': 'merge',
    'application/json-patch+json': 'json',
    'application/strategic-merge-patch+json': 'strategic',
    'application/apply-patch+yaml': 'apply',
    'application/apply-patch+cbor': 'apply',
  };
  return types[media];
}

export function patch(ctx: HandlerContext, route: ObjectRoute, query: URLSearchParams, text: string, contentType: string | undefined): Reply {
  const kind = patchTypeOf(contentType);
  const { type } = route;
  if (!kind || (kind === 'strategic' && !type.builtin)) {
    throw ApiError.of(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${type.builtin ? ', application/strategic-merge-patch+json' : ''}`,
    );
  }
  if (kind === 'apply') return apply(ctx, route, query, text);
  const current = ctx.store.get(type, route.namespace, route.name);
  const base = route.subresource === 'scale' ? scaleOf(route.type, current) : present(type, route.version, current);
  let next: unknown;
  try {
    const body = kind === 'json' ? JSON.parse(text) : parseJsonObject(text);
    next = kind === 'json' ? applyJsonPatch(base, body) : kind === 'merge' ? mergePatch(base, body) : strategicMergePatch(base, body);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof JsonPatchError) throw ApiError.of('Invalid', `the server rejected our request due to an error in our request: ${error.message}`);
    throw ApiError.of('BadRequest', `error decoding patch: ${(error as Error).message}`);
  }
  if (route.subresource === 'scale') return writeScale(ctx.store, route, dryRun(query), next as Record<string, unknown>);
  return writeWhole(ctx, route, query, next);
}

/** `applied`: `next` comes from a server-side apply, which has recorded its managedFields already. */
function writeWhole(ctx: HandlerContext, route: ObjectRoute, query: URLSearchParams, next: unknown, applied = false): Reply {
  if (!isObject(next) || !isObject(next.metadata)) throw invalid(route.type, route.name, 'metadata', 'Required value');
  const object = next as KubeObject;
  // A patch cannot rename or move an object: the API server's checkName after applying it.
  const { name, namespace } = object.metadata;
  if (name !== undefined && name !== route.name) {
    throw ApiError.of('BadRequest', `the name of the object (${String(name)}) does not match the name on the URL (${route.name})`);
  }
  if (route.type.namespaced && namespace !== undefined && namespace !== route.namespace) {
    throw ApiError.of('BadRequest', `the namespace of the object (${String(namespace)}) does not match the namespace on the URL (${route.namespace ?? ''})`);
  }
  object.metadata = { ...object.metadata, name: route.name, namespace: route.namespace };
  object.apiVersion = apiVersionOf(route.type.group, route.version);
  object.kind = route.type.kind;
  const current = applied ? undefined : ctx.store.find(route.type, route.namespace, route.name);
  const managed = applied ? object : managedUpdate(route.type, managerOf(query, ctx.userAgent), current && present(route.type, route.version, current), object, route.subresource);
  const options = writeOptions(query);
  const updated = ctx.store.update(route.type, managed, { ...options, subresource: route.subresource === 'status' ? 'status' : undefined });
  return { code: 200, body: present(route.type, route.version, updated), warnings: options.warnings };
}

function apply(ctx: HandlerContext, route: ObjectRoute, query: URLSearchParams, text: string): Reply {
  const manager = query.get('fieldManager');
  if (!manager) throw invalid(route.type, route.name, 'fieldManager', 'Required value: is required for apply patch');
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch (error) {
    throw ApiError.of('BadRequest', `error decoding YAML: ${(error as Error).message}`);
  }
  const object = bodyObject(route, JSON.stringify(config ?? {}));
  const current = ctx.store.find(route.type, route.namespace, route.name);
  if (!current && route.subresource) throw notFound(route.type, route.name);
  // Field ownership, conflicts and removal of dropped fields: src/sandbox/apply/.
  const force = query.get('force') === 'true';
  const next = managedApply(route.type, manager, current && present(route.type, route.version, current), object, force, route.subresource);
  if (!current) {
    const options = writeOptions(query);
    const created = ctx.store.create(route.type, next, options);
    return { code: 201, body: present(route.type, route.version, created), warnings: options.warnings };
  }
  return writeWhole(ctx, route, query, next, true);
}
