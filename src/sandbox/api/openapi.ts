/**
 * Just enough OpenAPI v3 for `kubectl apply --validate=strict` and `kubectl explain`: an index of
 * group-versions and, per group-version, a PATCH operation per kind that carries its group-version-kind and a
 * `fieldValidation` parameter (kubectl then trusts the server to validate and sends `fieldValidation=Strict`),
 * and the structural schema of each kind that has one, found by its `x-kubernetes-group-version-kind`.
 */
import { createHash } from 'node:crypto';
import type { TypeRegistry } from '../store/resource-types.js';

/** The schema's name as the API server publishes a CRD's: reversed group, version, kind (`io.seldon.mlops.v1alpha1.Model`). */
function schemaName(group: string, version: string, kind: string): string {
  const reversed = group === '' ? 'io.k8s.api.core' : group.split('.').reverse().join('.');
  return `${reversed}.${version}.${kind}`;
}

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Every served group-version's document, keyed by its path under /openapi/v3/. */
function documents(types: TypeRegistry): Map<string, Record<string, unknown>> {
  const docs = new Map<string, Record<string, unknown>>();
  for (const [group, versions] of types.groups()) {
    for (const version of versions) {
      const paths: Record<string, unknown> = {};
      const schemas: Record<string, unknown> = {};
      for (const type of types.inGroupVersion(group, version)) {
        if (type.schema) schemas[schemaName(group, version, type.kind)] = { ...type.schema, 'x-kubernetes-group-version-kind': [{ group, kind: type.kind, version }] };
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

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
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
