/**
 * The scale subresource (`…/NAME/scale`): an `autoscaling/v1` Scale read from and written to the object's
 * replicas. For Deployments and StatefulSets the selector is the pod selector in its string form, as
 * scaleFromDeployment and scaleFromStatefulSet write it; a custom resource's comes from its status (the
 * labelSelectorPath the sandbox's CRDs declare). Built-in kinds answer a Table with printers.go's scale columns.
 */
import type { KubeObject } from '../types.js';
import { invalid } from '../store/api-error.js';
import type { ResourceType } from '../store/resource-types.js';
import type { Store } from '../store/store.js';
import type { Printer } from './columns/printer.js';
import { AGE, age, column, field } from './columns/printer.js';
import type { Reply } from './handlers.js';
import type { ObjectRoute } from './routes.js';

type Requirement = { key: string; operator: string; values?: string[] };

/** metav1.LabelSelectorAsSelector(…).String(): requirements sorted by key, `k=v`, `k in (a,b)`, `!k`, `k`. */
export function formatSelector(selector: unknown): string {
  const s = (selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] };
  const parts: [string, string][] = Object.entries(s.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const r of s.matchExpressions ?? []) {
    const values = [...(r.values ?? [])].sort().join(',');
    const text = { In: `${r.key} in (${values})`, NotIn: `${r.key} notin (${values})`, Exists: r.key, DoesNotExist: `!${r.key}` }[r.operator];
    if (text !== undefined) parts.push([r.key, text]);
  }
  return parts
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

/** The Scale of an object with a scale subresource. */
export function scaleOf(type: ResourceType, object: KubeObject): Record<string, unknown> {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  const selector = type.builtin ? formatSelector(object.spec?.selector) : object.status?.selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: (object.spec?.replicas as number | undefined) ?? 1 },
    status: { replicas: (object.status?.replicas as number | undefined) ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** PUT or PATCH of a Scale: only spec.replicas reaches the object; a resourceVersion in it is a precondition. */
export function writeScale(store: Store, route: ObjectRoute, dryRun: boolean, scale: Record<string, unknown>): Reply {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(route.type, route.name, 'spec.replicas', 'Invalid value: must be a non-negative integer');
  }
  const current = store.get(route.type, route.namespace, route.name);
  const wanted = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  const next: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: wanted ?? current.metadata.resourceVersion }, spec: { ...current.spec, replicas } };
  const updated = store.update(route.type, next, { dryRun });
  return { code: 200, body: scaleOf(route.type, updated) };
}

/** printers.go scaleColumnDefinitions/printScale (its Name column has no `name` format). */
export const SCALE_PRINTER: Printer = {
  columns: [
    column('Name', 'string', 'Name must be unique within a namespace.'),
    column('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'),
    column('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'),
    AGE,
  ],
  cells: (o, now) => [o.metadata.name, Number(field(o, 'spec', 'replicas') ?? 0), Number(field(o, 'status', 'replicas') ?? 0), age(o, now)],
};
