/**
 * Discovery and REST mapping, cached per run and server: from (apiVersion, kind) or a resource as typed on a
 * command line (`model`, `models.mlops.seldon.io`, `svc`) to the plural path segment and scope.
 */
import { ApiError } from '../core/api-status.js';
import type { KubeClient } from './rest.js';

export interface ResourceMapping {
  group: string;
  version: string;
  /** The plural, as in URLs and in `models/iris`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
}

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
}

interface GroupList {
  groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

/** A per-run view of the server's API surface; every fetch is cached, concurrent askers share one request. */
export class Discovery {
  private readonly versions = new Map<string, Promise<ResourceMapping[]>>();
  private all?: Promise<ResourceMapping[]>;
  private coreList?: Promise<ResourceMapping[]>;

  constructor(private readonly client: KubeClient) {}

  /** The mapping of `kind` in `apiVersion`, or undefined when the server does not serve it. */
  async forKind(apiVersion: string, kind: string): Promise<ResourceMapping | undefined> {
    // A group-version the server does not serve (404) is "no match"; any other failure is the caller's to report.
    const list = await this.groupVersion(apiVersion).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 404) return [];
      throw error;
    });
    return list.find((m) => m.kind === kind);
  }

  /** Resolves a resource as typed (`model`, `Models`, `svc`, `models.mlops.seldon.io`, `deployments.v1.apps`). */
  async forResource(typed: string): Promise<ResourceMapping | undefined> {
    const lower = typed.toLowerCase();
    // Core resources come first in `everything`, so a core match is the answer whatever the groups serve: `svc` or
    // `pods` then needs /api and /api/v1, not every group (the istio runbook's first step read ten documents).
    const core = (await this.core()).find((m) => matchName(m, lower));
    if (core) return core;
    const all = await this.everything();
    const plain = all.find((m) => matchName(m, lower));
    if (plain) return plain;
    // `name.group` or `name.version.group`, tried from the longest group suffix.
    const parts = lower.split('.');
    for (let i = 1; i < parts.length; i++) {
      const name = parts.slice(0, i).join('.');
      const rest = parts.slice(i).join('.');
      const withGroup = all.find((m) => m.group === rest && matchName(m, name));
      if (withGroup) return withGroup;
      const [version, ...group] = parts.slice(i);
      const withVersion = all.find((m) => m.version === version && m.group === group.join('.') && matchName(m, name));
      if (withVersion) return withVersion;
    }
    return undefined;
  }

  private groupVersion(apiVersion: string): Promise<ResourceMapping[]> {
    let pending = this.versions.get(apiVersion);
    if (!pending) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      pending = this.client.requestOk('GET', path).then((body) => toMappings(group ?? '', version ?? '', body as { resources?: ApiResource[] }));
      // A failed fetch must not poison the cache for the rest of the run.
      pending.catch(() => this.versions.delete(apiVersion));
      this.versions.set(apiVersion, pending);
    }
    return pending;
  }

  /** The core group's resources (`/api`'s versions), in the server's order. */
  private core(): Promise<ResourceMapping[]> {
    this.coreList ??= (async () => {
      const { versions = [] } = (await this.client.requestOk('GET', '/api')) as { versions?: string[] };
      const lists = await Promise.all(versions.map((v) => this.servedOrNone(v)));
      return lists.flat();
    })();
    this.coreList.catch(() => (this.coreList = undefined));
    return this.coreList;
  }

  private servedOrNone(apiVersion: string): Promise<ResourceMapping[]> {
    return this.groupVersion(apiVersion).catch((error: unknown) => (error instanceof ApiError && error.code === 404 ? [] : Promise.reject(error)));
  }

  /** Every served resource, core first, then groups in server order with the preferred version first. */
  private everything(): Promise<ResourceMapping[]> {
    this.all ??= (async () => {
      const [core, groups] = await Promise.all([this.core(), this.client.requestOk('GET', '/apis') as Promise<GroupList>]);
      const apiVersions: string[] = [];
      for (const g of groups.groups ?? []) {
        const preferred = g.preferredVersion?.version;
        const ordered = [...g.versions].sort((a, b) => Number(b.version === preferred) - Number(a.version === preferred));
        apiVersions.push(...ordered.map((v) => v.groupVersion));
      }
      const lists = await Promise.all(apiVersions.map((gv) => this.servedOrNone(gv)));
      return [...core, ...lists.flat()];
    })();
    this.all.catch(() => (this.all = undefined));
    return this.all;
  }
}

const matchName = (m: ResourceMapping, name: string) =>
  m.resource === name || m.singular === name || m.shortNames.includes(name) || m.kind.toLowerCase() === name;

function toMappings(group: string, version: string, body: { resources?: ApiResource[] }): ResourceMapping[] {
  return (body.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group,
      version,
      resource: r.name,
      singular: r.singularName || r.kind.toLowerCase(),
      kind: r.kind,
      namespaced: r.namespaced,
      shortNames: r.shortNames ?? [],
    }));
}

/** The Discovery of this client for the run (shared through the step context's cache). */
export function discoveryFor(client: KubeClient, cache: Map<string, unknown>): Discovery {
  const key = `kube:discovery:${client.access.server}:${client.access.contextName}`;
  let discovery = cache.get(key) as Discovery | undefined;
  if (!discovery) {
    discovery = new Discovery(client);
    cache.set(key, discovery);
  }
  return discovery;
}

/** The collection path (`/apis/g/v/namespaces/ns/plural`) of a mapping. */
export function collectionPath(m: ResourceMapping, namespace?: string): string {
  const prefix = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
  return m.namespaced && namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${m.resource}` : `${prefix}/${m.resource}`;
}

export function objectPath(m: ResourceMapping, namespace: string | undefined, name: string): string {
  return `${collectionPath(m, namespace)}/${encodeURIComponent(name)}`;
}

/** `model.mlops.seldon.io/iris`, `service/foo`: how apply and wait name an object. */
export function kindSlashName(m: ResourceMapping, name: string): string {
  return `${kindGroup(m)}/${name}`;
}

/** `model.mlops.seldon.io`, `service`: the lowercase kind with its group. */
export function kindGroup(m: Pick<ResourceMapping, 'kind' | 'group'>): string {
  const kind = m.kind.toLowerCase();
  return m.group ? `${kind}.${m.group}` : kind;
}

/** `models.mlops.seldon.io`, `services`: the group resource, as in NotFound messages. */
export function groupResource(m: Pick<ResourceMapping, 'resource' | 'group'>): string {
  return m.group ? `${m.resource}.${m.group}` : m.resource;
}
