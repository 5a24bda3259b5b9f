/**
 * `meta.k8s.io/v1` Table answers for kubectl's human output: NAME, the kind's printer columns, AGE.
 */
import { findJsonPath, printValue } from '../../core/jsonpath.js';
import type { KubeObject } from '../types.js';
import type { PrinterColumn } from '../store/resource-types.js';
import type { Reply } from './handlers.js';
import type { ResourceRoute } from './routes.js';

/** kubectl's human output asks for `application/json;as=Table;v=v1;g=meta.k8s.io` first. */
export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  return /(^|;)\s*as=Table(\s*;|$)/.test(first);
}

/**
 * The value a printer column shows, as the API server's table convertor finds it: the column's path wrapped in
 * `{…}` and evaluated by kubectl's JSONPath with missing keys allowed, first result only. A path that does not
 * evaluate (a filter over a map, an index out of range) is an empty cell, as there.
 */
function columnValue(path: string, object: unknown): unknown {
  try {
    return findJsonPath(`{${path}}`, object)[0];
  } catch {
    return undefined;
  }
}

/** Kubernetes' HumanDuration: 45s, 5m30s, 3h, 2d4h, … */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

function servicePorts(object: KubeObject): string {
  const ports = (object.spec?.ports ?? []) as { port?: number; nodePort?: number; protocol?: string }[];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

type Counted = { ready?: boolean; restartCount?: number }[];

/** Cells the API server computes rather than reads (a column with an empty jsonPath), by kind and column. */
const COMPUTED: Record<string, (object: KubeObject) => unknown> = {
  'Service/Port(s)': servicePorts,
  'Pod/Ready': (o) => {
    const statuses = (o.status?.containerStatuses ?? []) as Counted;
    const total = ((o.spec?.containers ?? []) as unknown[]).length;
    return `${statuses.filter((c) => c.ready).length}/${total}`;
  },
  'Pod/Restarts': (o) => ((o.status?.containerStatuses ?? []) as Counted).reduce((n, c) => n + (c.restartCount ?? 0), 0),
  'StatefulSet/Ready': (o) => `${Number(o.status?.readyReplicas ?? 0)}/${Number(o.spec?.replicas ?? 1)}`,
};

function cell(column: PrinterColumn, object: KubeObject, now: number): unknown {
  const value = columnValue(column.jsonPath, object);
  if (column.type === 'date') return typeof value === 'string' ? humanDuration(now - Date.parse(value)) : '<unknown>';
  if (value === undefined || value === null) return column.type === 'string' ? '<none>' : null;
  // String columns print the value as kubectl's JSONPath printer does (a list as JSON, not as JavaScript's text).
  return column.type === 'string' ? printValue(value) : value;
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation' };

/** The kind's columns with Age where the kind puts it (last unless it says otherwise, as a Pod's wide columns follow it). */
function columnsOf(route: ResourceRoute): PrinterColumn[] {
  const { type } = route;
  const columns = type.group === '' && type.kind === 'Service' ? [...type.printerColumns, { name: 'Port(s)', type: 'string', jsonPath: '' }] : type.printerColumns;
  return columns.some((c) => c.jsonPath === AGE.jsonPath) ? columns : [...columns, AGE];
}

function row(route: ResourceRoute, columns: PrinterColumn[], object: KubeObject, now: number): Record<string, unknown> {
  const cells = [
    object.metadata.name,
    ...columns.map((c) => (c.jsonPath === '' ? COMPUTED[`${route.type.kind}/${c.name}`]?.(object) : cell(c, object, now))),
  ];
  return { cells, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata } };
}

/** Turns a successful GET or LIST reply into a Table; anything else passes through. */
export function asTable(route: ResourceRoute, reply: Reply, now = Date.now()): Reply {
  const body = reply.body as { kind?: string; items?: KubeObject[]; metadata?: Record<string, unknown> };
  if (reply.code !== 200 || body.kind === 'Status' || route.subresource === 'scale') return reply;
  const items = body.items ?? [body as KubeObject];
  const columns = columnsOf(route);
  return {
    code: 200,
    body: {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: body.items ? body.metadata?.resourceVersion : (body as KubeObject).metadata.resourceVersion, ...(body.items && body.metadata?.continue ? { continue: body.metadata.continue } : {}) },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0 },
        ...columns.map((c) => ({ name: c.name, type: c.type, format: '', description: c.description ?? '', priority: c.priority ?? 0 })),
      ],
      rows: items.map((o) => row(route, columns, o, now)),
    },
  };
}
