/**
 * The OpenAPI documents kubectl reads. `/openapi/v3`: an index of group-versions and, per group-version, a PATCH
 * operation per kind that carries its group-version-kind and a `fieldValidation` parameter (kubectl then trusts
 * the server to validate and sends `fieldValidation=Strict`), and the schema of each kind, found by its
 * `x-kubernetes-group-version-kind`, with every definition a built-in kind refers to, so `kubectl explain` can
 * walk into `DeploymentSpec` or `ServicePort`. `/openapi/v2`: the same schemas as Swagger 2.0.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ResourceType, TypeRegistry } from '../store/resource-types.js';
import type { Schema } from '../store/schema.js';
import { DEFINITIONS, closure, referenced } from '../schema/definitions.js';
import type { V2Schema } from '../schema/openapi-v2.js';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_REPLY, swaggerDocument, swaggerProtobuf, toV2 } from '../schema/openapi-v2.js';

/** The schema's name as the API server publishes a CRD's: reversed group, version, kind (`io.seldon.mlops.v1alpha1.Model`). */
function schemaName(group: string, version: string, kind: string): string {
  const reversed = group === '' ? 'io.k8s.api.core' : group.split('.').reverse().join('.');
  return `${reversed}.${version}.${kind}`;
}

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

let cached: { kinds: ResourceType[]; docs: Map<string, Record<string, unknown>> } | undefined;

/**
 * Every served group-version's document, keyed by its path under /openapi/v3/. Built again only when the served
 * kinds change (a CRD registers a new ResourceType object), since kubectl reads them on every apply and create.
 */
function documents(types: TypeRegistry): Map<string, Record<string, unknown>> {
  const kinds = types.all();
  if (cached && cached.kinds.length === kinds.length && cached.kinds.every((k, i) => k === kinds[i])) return cached.docs;
  cached = { kinds, docs: buildDocuments(types) };
  return cached.docs;
}

function buildDocuments(types: TypeRegistry): Map<string, Record<string, unknown>> {
  const docs = new Map<string, Record<string, unknown>>();
  for (const [group, versions] of types.groups()) {
    for (const version of versions) {
      const paths: Record<string, unknown> = {};
      const schemas: Record<string, unknown> = {};
      for (const type of types.inGroupVersion(group, version)) {
        Object.assign(schemas, schemasOf(type, group, version));
        const base = `/${gvPath(group, version)}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.plural}`;
        const gvk = { group, version, kind: type.kind };
        const params = [
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          ...(type.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }] : []),
        ];
        const query = [
          { name: 'dryRun', in: 'query', schema: { type: 'string' } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string' } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
        ];
        paths[`${base}/{name}`] = {
          parameters: params,
          get: { operationId: `read${type.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
          put: { operationId: `replace${type.kind}`, 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, parameters: query, responses: { '200': { description: 'OK' } } },
          patch: {
            operationId: `patch${type.kind}`,
            'x-kubernetes-action': 'patch',
            'x-kubernetes-group-version-kind': gvk,
            parameters: [...query, { name: 'force', in: 'query', schema: { type: 'boolean' } }],
            responses: { '200': { description: 'OK' } },
          },
          delete: { operationId: `delete${type.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
        };
      }
      docs.set(gvPath(group, version), {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: 'v1.32.0' },
        paths,
        components: { schemas },
      });
    }
  }
  return docs;
}

/** A kind's schema (named as the API server names it) and, for a built-in kind, every definition it refers to. */
function schemasOf(type: ResourceType, group: string, version: string): Record<string, Schema> {
  if (!type.schema) return {};
  const gvk = { 'x-kubernetes-group-version-kind': [{ group, kind: type.kind, version }] };
  const root = referenced(type.schema);
  if (!root) return { [schemaName(group, version, type.kind)]: { ...type.schema, ...gvk } };
  const out: Record<string, Schema> = {};
  for (const name of closure([root])) out[name] = DEFINITIONS[name]!;
  out[root] = { ...out[root], ...gvk };
  return out;
}

/** Every served kind's schema and the definitions they refer to, as Swagger 2.0 definitions. */
function v2Definitions(types: TypeRegistry): Record<string, V2Schema> {
  const definitions: Record<string, V2Schema> = {};
  for (const [group, versions] of types.groups()) {
    for (const version of versions) {
      for (const type of types.inGroupVersion(group, version)) {
        for (const [name, schema] of Object.entries(schemasOf(type, group, version))) definitions[name] = toV2(schema);
      }
    }
  }
  return definitions;
}

/** `GET /openapi/v2`: protobuf, as kubectl asks for it, or JSON when the client accepts only that. */
export function sendOpenApiV2(res: ServerResponse, types: TypeRegistry, accept: string | undefined): void {
  const definitions = v2Definitions(types);
  const protobuf = (accept ?? '').includes(OPENAPI_V2_PROTOBUF);
  const body = protobuf ? swaggerProtobuf(definitions) : Buffer.from(JSON.stringify(swaggerDocument(definitions)));
  res.writeHead(200, { 'content-type': protobuf ? OPENAPI_V2_PROTOBUF_REPLY : 'application/json', 'content-length': body.length, 'cache-control': 'no-cache, private' });
  res.end(body);
}

const hashes = new WeakMap<object, string>();

function hashOf(doc: Record<string, unknown>): string {
  const known = hashes.get(doc);
  if (known) return known;
  const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
  hashes.set(doc, hash);
  return hash;
}

/** `GET /openapi/v3`: where each group-version's document lives, with a content hash for caches. */
export function openApiIndex(types: TypeRegistry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, doc] of documents(types)) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(doc)}` };
  return { paths };
}

/** `GET /openapi/v3/<path>`, or undefined for a group-version not served. */
export function openApiDocument(types: TypeRegistry, path: string): Record<string, unknown> | undefined {
  return documents(types).get(path);
}
