/**
 * `meta.k8s.io/v1` Table answers for kubectl's human output: the kind's printer columns and one row per object,
 * each row carrying the object as `includeObject` asks (None, Metadata by default, or the whole Object, which
 * `kubectl get --sort-by` needs to sort on fields the columns do not show). Watches get the same rows, one
 * Table per event.
 */
import { ApiError } from '../../core/api-status.js';
import type { KubeObject } from '../types.js';
import type { Reply } from './handlers.js';
import type { ResourceRoute } from './routes.js';
import { BUILTIN_PRINTERS } from './columns/core.js';
import { customPrinter, defaultPrinter } from './columns/custom.js';
import { SCALE_PRINTER } from './scale.js';
import type { Printer } from './columns/printer.js';

export { humanDuration } from './columns/printer.js';

/** kubectl's human output asks for `application/json;as=Table;v=v1;g=meta.k8s.io` first. */
export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  return /(^|;)\s*as=Table(\s*;|$)/.test(first);
}

/** TableOptions.includeObject: what each row carries besides its cells. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const asked = query.get('includeObject');
  if (asked === null || asked === '') return 'Metadata';
  if (asked === 'None' || asked === 'Metadata' || asked === 'Object') return asked;
  throw ApiError.of('BadRequest', `Unsupported value: "${asked}": supported values: "Metadata", "None", "Object"`);
}

/**
 * Built-in kinds print as kube-apiserver's printers do; one added to the registry with declared columns but no
 * printer here uses those; one with neither (CRDs themselves) gets NAME and CREATED AT.
 */
function printerOf(route: ResourceRoute): Printer {
  const { type } = route;
  if (!type.builtin) return customPrinter(type.printerColumns);
  const printer = BUILTIN_PRINTERS[`${type.group}/${type.kind}`];
  if (printer) return printer;
  return type.printerColumns.some((c) => c.jsonPath !== '') ? customPrinter(type.printerColumns) : defaultPrinter;
}

function rowOf(printer: Printer, include: IncludeObject, object: KubeObject, now: number): Record<string, unknown> {
  const cells = printer.cells(object, now);
  if (include === 'None') return { cells };
  if (include === 'Object') return { cells, object };
  return { cells, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata } };
}

function columnDefinitions(printer: Printer): unknown[] {
  return printer.columns.map((c) => ({ ...c }));
}

/** Turns a successful GET or LIST reply into a Table; anything else passes through. */
export function asTable(route: ResourceRoute, reply: Reply, query: URLSearchParams = new URLSearchParams(), now = Date.now()): Reply {
  const body = reply.body as { kind?: string; items?: KubeObject[]; metadata?: Record<string, unknown> };
  // A built-in kind's Scale prints through the kind's table convertor, which has a printer for Scale; a custom
  // resource's is left to kubectl.
  if (reply.code !== 200 || body.kind === 'Status' || (route.subresource === 'scale' && !route.type.builtin)) return reply;
  const include = includeObjectOf(query);
  const items = body.items ?? [body as KubeObject];
  const printer = route.subresource === 'scale' ? SCALE_PRINTER : printerOf(route);
  const resourceVersion = body.items ? body.metadata?.resourceVersion : (body as KubeObject).metadata.resourceVersion;
  return {
    ...reply,
    body: {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      // A paged list's continue token and remaining count go on the Table, so `--chunk-size` pages work.
      metadata: {
        resourceVersion,
        ...(body.items && body.metadata?.continue ? { continue: body.metadata.continue } : {}),
        ...(body.items && body.metadata?.remainingItemCount !== undefined ? { remainingItemCount: body.metadata.remainingItemCount } : {}),
      },
      columnDefinitions: columnDefinitions(printer),
      rows: items.map((o) => rowOf(printer, include, o, now)),
    },
  };
}

/**
 * For a watch whose client asked for Tables: turns each event's object into a one-row Table. Only the first
 * event carries the column definitions (the API server's watch encoder sets NoHeaders after it; kubectl keeps
 * printing under the header it already has). Throws 400 for a bad includeObject before the watch starts.
 */
export function tableWatch(route: ResourceRoute, query: URLSearchParams, clock: () => number = Date.now): (eventType: string, object: unknown) => unknown {
  const include = includeObjectOf(query);
  const printer = printerOf(route);
  let headers = true;
  return (eventType, object) => {
    if (eventType === 'ERROR') return object;
    const o = object as KubeObject;
    const metadata = { resourceVersion: o.metadata.resourceVersion };
    // A bookmark only moves the resourceVersion on: an empty Table says so without printing a row.
    if (eventType === 'BOOKMARK') return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, rows: [] };
    const table: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata };
    if (headers) table.columnDefinitions = columnDefinitions(printer);
    headers = false;
    table.rows = [rowOf(printer, include, o, clock())];
    return table;
  };
}
