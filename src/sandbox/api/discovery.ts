/**
 * Legacy discovery documents (`/api`, `/apis`, `/apis/<g>`, group-version resource lists) and `/version`.
 * kubectl prefers aggregated discovery but reads these when the Content-Type says plain JSON.
 */
import type { ResourceType, TypeRegistry } from '../store/resource-types.js';
import { apiVersionOf } from '../store/resource-types.js';
import { REVIEW_RESOURCES, REVIEW_VERSION } from './reviews.js';

export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-runbook-sandbox' } as const;

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: apiVersionOf(name, version), version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** Served groups: the stored kinds' and the review resources' (kubectl auth can-i, whoami), which no store holds. */
function servedGroups(types: TypeRegistry): Map<string, string[]> {
  const groups = types.groups();
  for (const review of REVIEW_RESOURCES) if (!groups.has(review.group)) groups.set(review.group, [REVIEW_VERSION]);
  return groups;
}

export function apiGroupList(types: TypeRegistry): Record<string, unknown> {
  const groups = [...servedGroups(types)].filter(([name]) => name !== '').map(([name, versions]) => groupDoc(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(types: TypeRegistry, group: string): Record<string, unknown> | undefined {
  const versions = servedGroups(types).get(group);
  return versions && group !== '' ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) } : undefined;
}

function resourceEntries(type: ResourceType): Record<string, unknown>[] {
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  const entries: Record<string, unknown>[] = [
    {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      // Namespaces have no deletecollection: the API server answers 405 and kubectl deletes them one by one.
      verbs: isNamespace ? ALL_VERBS.filter((v) => v !== 'deletecollection') : ALL_VERBS,
      ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
      ...(type.categories.length ? { categories: type.categories } : {}),
    },
  ];
  if (isNamespace) entries.push({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
  if (type.subresources.status) {
    entries.push({ name: `${type.plural}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] });
  }
  if (type.subresources.scale) {
    entries.push({
      name: `${type.plural}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  return entries;
}

/** The `APIResourceList` of one group-version, or undefined when nothing is served there. */
export function apiResourceList(types: TypeRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const served = types.inGroupVersion(group, version);
  const reviews = version === REVIEW_VERSION ? REVIEW_RESOURCES.filter((r) => r.group === group) : [];
  if (served.length === 0 && reviews.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    // By name, subresources included, as the API server sorts a group-version's list (kubectl get all prints its
    // kinds in this order).
    resources: [
      ...served.flatMap(resourceEntries),
      ...reviews.map((r) => ({ name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create'] })),
    ].sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0)),
  };
}
