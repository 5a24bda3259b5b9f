/**
 * What a kind's table printer is: the column definitions the API server sends once per Table, and the cells of
 * one object's row. Built-in kinds have hand-written printers (as kube-apiserver's pkg/printers/internalversion
 * does); custom resources get theirs from the CRD's additionalPrinterColumns.
 */
import type { KubeObject } from '../../types.js';

/** A `meta.k8s.io/v1` TableColumnDefinition. Priority 0 columns always print; 1 only with `-o wide`. */
export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: ColumnDefinition[];
  /**
   * One row's cells, in column order. Called per object on every Table answer and watch event; `now` is when the
   * answer is made, so ages are relative to it.
   */
  cells(object: KubeObject, now: number): unknown[];
}

/** A column as printers.go writes them: only name and type said, the rest defaulted. */
export function column(name: string, type: ColumnDefinition['type'], description: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}

export const NAME = column('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
export const AGE = column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** apimachinery's duration.HumanDuration: 45s, 5m30s, 3h, 2d4h, … */
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

/** printers.go translateTimestampSince: `<unknown>` for an unset time, else the human duration since it. */
export function since(timestamp: unknown, now: number): string {
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}

export function age(object: KubeObject, now: number): string {
  return since(object.metadata.creationTimestamp, now);
}

/** labels.FormatLabels / a matchLabels selector: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries((labels ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

type Container = { name?: string; image?: string };

/** printers.go layoutContainerCells: container names and images, each joined by commas. */
export function containerCells(containers: unknown): [string, string] {
  const list = (Array.isArray(containers) ? containers : []) as Container[];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** A nested field of an unstructured object, or undefined. */
export function field(object: unknown, ...path: string[]): unknown {
  let cur = object;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function count(value: unknown): number {
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}
