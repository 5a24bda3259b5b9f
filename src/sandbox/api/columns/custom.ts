/**
 * Printers that need no code per kind: a custom resource's, from its CRD's additionalPrinterColumns (as
 * apiextensions-apiserver's tableconvertor), and the generic one the API server gives kinds without a printer
 * (NAME and CREATED AT, as `kubectl get crd` shows).
 */
import { findJsonPath, printValue } from '../../../core/jsonpath.js';
import type { PrinterColumn } from '../../store/resource-types.js';
import type { ColumnDefinition, Printer } from './printer.js';
import { NAME, column, humanDuration } from './printer.js';

/** A CRD with no printer columns is served with Age alone (apiextensions' serveDefaultColumnsIfEmpty). */
const DEFAULT_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

/**
 * The value a printer column shows: the column's path wrapped in `{…}` and evaluated by kubectl's JSONPath with
 * missing keys allowed, first result only. A path that does not evaluate (a filter over a map, an index out of
 * range) is an empty cell, as there.
 */
function columnValue(path: string, object: unknown): unknown {
  try {
    return findJsonPath(`{${path}}`, object)[0];
  } catch {
    return undefined;
  }
}

/** tableconvertor's cellForJSONValue: a value of the wrong JSON type is an empty cell, a bad date `<invalid>`. */
function cell(column: PrinterColumn, object: unknown, now: number): unknown {
  const value = columnValue(column.jsonPath, object);
  if (value === undefined || value === null) return null;
  switch (column.type) {
    // String columns print the value as kubectl's JSONPath printer does (a list as JSON, not as JavaScript's text).
    case 'string':
      return printValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : humanDuration(now - Date.parse(value));
    default:
      return null;
  }
}

/** The printer of a custom resource whose CRD declares `columns` (its served version's). */
export function customPrinter(columns: PrinterColumn[]): Printer {
  const declared = columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const definitions: ColumnDefinition[] = declared.map((c) => ({
    name: c.name,
    type: (c.type as ColumnDefinition['type']) ?? 'string',
    // The CRD's column objects come through whole, so its optional format is there when it was written.
    format: (c as PrinterColumn & { format?: string }).format ?? '',
    description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    priority: c.priority ?? 0,
  }));
  return {
    columns: [NAME, ...definitions],
    cells: (object, now) => [object.metadata.name, ...declared.map((c) => cell(c, object, now))],
  };
}

/** rest.DefaultTableConvertor: the creation time as RFC 3339, not an age. */
export const defaultPrinter: Printer = {
  columns: [NAME, column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  cells: (object) => [object.metadata.name, object.metadata.creationTimestamp ?? null],
};
