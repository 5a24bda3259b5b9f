/** `apiextensions.k8s.io/v1`: the CustomResourceDefinition, typed at its top; version schemas are kept as written. */
import type { Schema } from '../store/schema.js';
import { bool, list, oneOf, open, ref, str, strings, struct } from './dsl.js';
import { kind } from './core-v1.js';

export const CRD_DEFS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';

export const APIEXTENSIONS_DEFINITIONS: Record<string, Schema> = {
  [`${CRD_DEFS}CustomResourceDefinition`]: kind('A resource to expose on the API server; its name must be <plural>.<group>.', {
    spec: ref(`${CRD_DEFS}CustomResourceDefinitionSpec`, 'How the resource appears.', true),
    status: open('The observed state of the definition.'),
  }),
  [`${CRD_DEFS}CustomResourceDefinitionSpec`]: struct(
    'How a custom resource appears.',
    {
      conversion: open('How versions of the resource are converted.'),
      group: str('The API group of the resource, as in /apis/<group>/<version>.'),
      names: ref(`${CRD_DEFS}CustomResourceDefinitionNames`, 'The resource and kind names.', true),
      preserveUnknownFields: bool('Deprecated: keep unknown fields; use x-kubernetes-preserve-unknown-fields in the schema.'),
      scope: oneOf('Cluster or Namespaced.', ['Cluster', 'Namespaced']),
      versions: list('The API versions of the resource.', open('One version: name, served, storage, schema, subresources, printer columns.', { name: str('The version name, e.g. v1.') })),
    },
    ['group', 'names', 'scope', 'versions'],
  ),
  [`${CRD_DEFS}CustomResourceDefinitionNames`]: struct(
    'The names of a custom resource.',
    {
      categories: strings('Groups of resources this one belongs to, e.g. all.'),
      kind: str('The serialised kind, in CamelCase.'),
      listKind: str('The kind of a list; defaults to <kind>List.'),
      plural: str('The plural name used in the URL, lowercase.'),
      shortNames: strings('Short names for the resource, as kubectl get accepts them.'),
      singular: str('The singular name, lowercase; defaults to the lowercased kind.'),
    },
    ['plural', 'kind'],
  ),
};
