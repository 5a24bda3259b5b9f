/**
 * The kinds the sandbox API serves. Built-in kinds are fixed; custom kinds come and go with the
 * CustomResourceDefinitions stored in the cluster (the seeded ones included).
 */
import type { KubeObject } from '../types.js';
import type { Schema } from './schema.js';
import { builtinSchema } from '../schema/definitions.js';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  /** 0: always shown; higher: only with `-o wide`. */
  priority?: number;
}

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  /** Served versions, the preferred one first. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: { status: boolean; scale: boolean };
  /** Kinds compiled into kubectl: only these accept strategic merge patches. */
  builtin: boolean;
  printerColumns: PrinterColumn[];
  /** The preferred version's structural schema; objects are checked and pruned against it. */
  schema?: Schema;
}

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    subresources: { status: false, scale: false },
    builtin: true,
    printerColumns: [],
    // The built-in schema table (src/sandbox/schema/) types the kind for validation, explain and managedFields.
    ...(builtinSchema(group, version, kind) ? { schema: builtinSchema(group, version, kind) } : {}),
    ...extra,
  };
}

export const BUILTIN_TYPES: readonly ResourceType[] = [
  builtin('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    subresources: { status: true, scale: false },
    printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }],
  }),
  builtin('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: { status: true, scale: false },
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP' },
      { name: 'External-IP', type: 'string', jsonPath: '.status.loadBalancer.ingress[0].ip' },
    ],
  }),
  builtin('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  // Columns with an empty jsonPath are computed by the table printer (api/table.ts), as the API server does.
  builtin('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: { status: true, scale: false },
    printerColumns: [
      { name: 'Ready', type: 'string', jsonPath: '' },
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
      { name: 'Restarts', type: 'integer', jsonPath: '' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'IP', type: 'string', jsonPath: '.status.podIP', priority: 1 },
      { name: 'Node', type: 'string', jsonPath: '.spec.nodeName', priority: 1 },
    ],
  }),
  builtin('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: { status: true, scale: true },
    printerColumns: [{ name: 'Ready', type: 'string', jsonPath: '' }],
  }),
  builtin('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: { status: true, scale: true },
  }),
  builtin('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  builtin('', 'v1', 'Secret', 'secrets', true),
  builtin('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  // Policy objects the namespace's describe lists; nothing enforces them here (no quota or limit admission).
  builtin('', 'v1', 'ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'], subresources: { status: true, scale: false } }),
  builtin('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  // Kept by the endpoint controllers (controllers/endpoint-slices.ts), one set per Service with a selector.
  builtin('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  builtin('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  builtin('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: { status: true, scale: false },
  }),
];

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_KIND = 'CustomResourceDefinition';

/** Reads the kind a CustomResourceDefinition registers; undefined for one too incomplete to serve. */
export function typeFromCrd(crd: KubeObject): ResourceType | undefined {
  const spec = crd.spec as
    | {
        group?: string;
        scope?: string;
        names?: { kind?: string; listKind?: string; plural?: string; singular?: string; shortNames?: string[]; categories?: string[] };
        versions?: {
          name: string;
          served?: boolean;
          storage?: boolean;
          subresources?: { status?: unknown; scale?: unknown };
          additionalPrinterColumns?: PrinterColumn[];
          schema?: { openAPIV3Schema?: Schema };
        }[];
      }
    | undefined;
  const names = spec?.names;
  const served = (spec?.versions ?? []).filter((v) => v.served !== false && typeof v.name === 'string');
  if (!spec?.group || !names?.kind || !names.plural || served.length === 0) return undefined;
  // The storage version is the natural preferred one; real servers rank by version priority, close enough here.
  const preferred = served.find((v) => v.storage) ?? served[0]!;
  const ordered = [preferred, ...served.filter((v) => v !== preferred)];
  return {
    group: spec.group,
    versions: ordered.map((v) => v.name),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    subresources: { status: preferred.subresources?.status !== undefined, scale: preferred.subresources?.scale !== undefined },
    builtin: false,
    printerColumns: preferred.additionalPrinterColumns ?? [],
    ...(preferred.schema?.openAPIV3Schema ? { schema: preferred.schema.openAPIV3Schema } : {}),
  };
}

/** Lookup of the served kinds by URL (group, version, plural) and by group and kind. */
export class TypeRegistry {
  private readonly custom = new Map<string, ResourceType>();

  constructor(private readonly builtins: readonly ResourceType[] = BUILTIN_TYPES) {}

  all(): ResourceType[] {
    return [...this.builtins, ...this.custom.values()];
  }

  /** Registers or replaces the kind of a CRD (keyed by the CRD's name, `<plural>.<group>`). */
  register(crdName: string, type: ResourceType): void {
    this.custom.set(crdName, type);
  }

  unregister(crdName: string): ResourceType | undefined {
    const type = this.custom.get(crdName);
    this.custom.delete(crdName);
    return type;
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.kind === kind);
  }

  /** Group → served versions, the preferred one first, in registration order. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const t of this.all()) {
      const versions = groups.get(t.group) ?? [];
      for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(t.group, versions);
    }
    return groups;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.versions.includes(version));
  }
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** `models.mlops.seldon.io` or `services`: the resource as kubectl names it in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}
