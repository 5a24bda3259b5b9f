/**
 * The printers of the kinds the endpoint controllers keep (Endpoints, EndpointSlice) and of ResourceQuota, as
 * kube-apiserver's pkg/printers/internalversion/printers.go defines them. LimitRange has no printer there: the
 * server answers it with the default table (Name, Created At), as the sandbox does for any kind without one.
 */
import type { KubeObject } from '../../types.js';
import type { Printer } from './printer.js';
import { AGE, NAME, age, column, field } from './printer.js';

type Subset = { addresses?: { ip: string }[]; ports?: { port: number }[] };

/** formatEndpoints with every port: `ip:port` pairs, the first three, then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(o: KubeObject): string {
  const subsets = (field(o, 'subsets') ?? []) as Subset[];
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    // A headless Service without ports lists bare addresses.
    if ((ss.ports ?? []).length === 0) all.push(...addresses.map((a) => a.ip));
    else for (const p of ss.ports ?? []) all.push(...addresses.map((a) => (a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`)));
  }
  return withMore(all, '');
}

/** listWithMoreString: the first three joined by commas, then `+ N more...`; `empty` when there are none. */
function withMore(all: string[], empty: string): string {
  const shown = all.slice(0, 3).join(',');
  if (all.length > 3) return `${shown} + ${all.length - 3} more...`;
  return shown === '' ? empty : shown;
}

const endpoints: Printer = {
  columns: [NAME, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE],
  cells: (o, now) => [o.metadata.name, formatEndpoints(o), age(o, now)],
};

type SlicePort = { port?: number; name?: string };

const endpointSlice: Printer = {
  columns: [
    NAME,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE,
  ],
  cells: (o, now) => {
    const ports = ((field(o, 'ports') ?? []) as SlicePort[]).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')));
    const addresses = ((field(o, 'endpoints') ?? []) as { addresses?: string[] }[]).flatMap((e) => e.addresses ?? []);
    return [o.metadata.name, field(o, 'addressType') ?? '', withMore(ports, '<unset>'), withMore(addresses, '<unset>'), age(o, now)];
  },
};

/** `resource: used/hard` pairs from the status (what the quota controller observed), limits.* in their own column. */
function quotaColumns(o: KubeObject): [string, string] {
  const hard = (field(o, 'status', 'hard') ?? {}) as Record<string, string>;
  const used = (field(o, 'status', 'used') ?? {}) as Record<string, string>;
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const parts = name.split('.');
    (parts.length > 1 && parts[0] === 'limits' ? limit : request).push(`${name}: ${used[name] ?? '0'}/${hard[name]}`);
  }
  return [request.join(', '), limit.join(', ')];
}

const resourceQuota: Printer = {
  columns: [
    NAME,
    AGE,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells: (o, now) => [o.metadata.name, age(o, now), ...quotaColumns(o)],
};

export const ENDPOINTS_QUOTA_PRINTERS: Readonly<Record<string, Printer>> = {
  '/Endpoints': endpoints,
  'discovery.k8s.io/EndpointSlice': endpointSlice,
  '/ResourceQuota': resourceQuota,
};
