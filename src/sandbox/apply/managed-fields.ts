/**
 * `metadata.managedFields`: which manager owns which fields, kept the way the API server's field manager keeps
 * them. Every write records the fields it changed for its manager (operation Update, taken from other managers
 * without asking); a server-side apply owns exactly the fields of its configuration (operation Apply), fails
 * with 409 when it would change a field another manager owns unless forced, and removes the fields its previous
 * configuration had and this one drops, when no other manager owns them.
 */
import type { KubeObject } from '../types.js';
import type { ResourceType } from '../store/resource-types.js';
import { applyConflict } from './conflict.js';
import type { FieldPath } from './field-set.js';
import { FieldSet } from './field-set.js';
import { compare, merge, removePaths, toFieldSet, zeroObject } from './typed.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Owner {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** One write: its kind, the manager that makes it, the apiVersion it speaks, and when. */
export interface Write {
  type: ResourceType;
  manager: string;
  apiVersion: string;
  subresource?: 'status';
  now: string;
}

/** Fields the server owns: never listed in managedFields. */
const STRIPPED: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'generation', 'managedFields', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'].map((f) => ['f:metadata', `f:${f}`]),
];

/** A write's fields as it may own them: through the main resource not the status, through status only that. */
function scoped(write: Write, set: FieldSet): FieldSet {
  const kept = set.without(STRIPPED);
  if (write.subresource === 'status') return kept.under(['f:status']).union(kept.has(['f:status']) ? FieldSet.of([['f:status']]) : new FieldSet());
  return write.type.subresources.status ? kept.without([['f:status']]) : kept;
}

const sameWorkflow = (o: Owner, manager: string, operation: Owner['operation'], write: Write) =>
  o.manager === manager && o.operation === operation && (o.subresource ?? '') === (write.subresource ?? '') && (operation === 'Apply' || o.apiVersion === write.apiVersion);

export function decodeOwners(entries: unknown): Owner[] {
  if (!Array.isArray(entries)) return [];
  return (entries as Partial<ManagedFieldsEntry>[])
    .filter((e) => typeof e?.manager === 'string' && (e.operation === 'Apply' || e.operation === 'Update'))
    .map((e) => ({
      manager: e.manager!,
      operation: e.operation!,
      apiVersion: e.apiVersion ?? '',
      ...(e.subresource ? { subresource: e.subresource } : {}),
      ...(e.time ? { time: e.time } : {}),
      set: FieldSet.fromFieldsV1(e.fieldsV1),
    }));
}

/** The entries in the API server's order: Apply before Update, then by time, manager and apiVersion. */
export function encodeOwners(owners: Owner[]): ManagedFieldsEntry[] {
  const sorted = owners
    .filter((o) => o.set.size > 0)
    .sort((p, q) => (p.operation !== q.operation ? (p.operation < q.operation ? -1 : 1) : (p.time ?? '').localeCompare(q.time ?? '') || p.manager.localeCompare(q.manager) || p.apiVersion.localeCompare(q.apiVersion)));
  return sorted.map((o) => ({
    apiVersion: o.apiVersion,
    fieldsType: 'FieldsV1',
    fieldsV1: o.set.toFieldsV1(),
    manager: o.manager,
    operation: o.operation,
    ...(o.subresource ? { subresource: o.subresource } : {}),
    ...(o.time ? { time: o.time } : {}),
  }));
}

/** The object before anything was written: what a create is compared with. */
function emptyOf(type: ResourceType, object: KubeObject): Record<string, unknown> {
  return { metadata: {}, ...zeroObject(type.schema), apiVersion: object.apiVersion, kind: object.kind };
}

function withoutManaged(object: KubeObject | Record<string, unknown>): Record<string, unknown> {
  const { metadata, ...rest } = object as KubeObject;
  if (!metadata) return rest;
  const { managedFields: _m, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

/** Called on create, update and non-apply patches: `after` with managedFields that record this write. */
export function recordUpdate(write: Write, before: KubeObject | undefined, after: KubeObject): KubeObject {
  // A client may rewrite managedFields itself (kubectl's migration to server-side apply does); otherwise the live ones hold.
  const sent = after.metadata.managedFields;
  const rewritten = Array.isArray(sent) && JSON.stringify(sent) !== JSON.stringify(before?.metadata.managedFields);
  if (Array.isArray(sent) && (sent.length === 0 || (sent.length === 1 && Object.keys(sent[0] as object).length === 0))) {
    return { ...after, metadata: { ...after.metadata, managedFields: undefined } };
  }
  let owners = decodeOwners(rewritten ? sent : before?.metadata.managedFields);
  const changes = compare(withoutManaged(before ?? emptyOf(write.type, after)), withoutManaged(after), write.type.schema);
  const changed = scoped(write, changes.added.union(changes.modified));
  const removed = scoped(write, changes.removed);
  const mine = owners.find((o) => sameWorkflow(o, write.manager, 'Update', write));
  owners = owners.filter((o) => o !== mine).map((o) => ({ ...o, set: o.set.difference(changed).difference(removed) }));
  const set = (mine?.set ?? new FieldSet()).difference(removed).union(changed);
  // A write that changes nothing keeps the manager's time, so a no-op stays a no-op (no new resourceVersion).
  const time = mine && changed.size === 0 && removed.size === 0 ? mine.time : write.now;
  if (set.size > 0 || mine) owners.push({ manager: write.manager, operation: 'Update', apiVersion: write.apiVersion, ...(write.subresource ? { subresource: write.subresource } : {}), ...(time ? { time } : {}), set });
  return { ...after, metadata: { ...after.metadata, managedFields: encodeOwners(owners) } };
}

/**
 * Called on a server-side apply (PATCH application/apply-patch+yaml): the live object (undefined to create)
 * with `config` applied for `write.manager`, and its managedFields. Throws the API server's 409 on conflicts
 * unless `force`.
 */
export function recordApply(write: Write, live: KubeObject | undefined, config: KubeObject, force: boolean): KubeObject {
  const base = live ? withoutManaged(live) : emptyOf(write.type, config);
  let owners = decodeOwners(live?.metadata.managedFields);
  // A new object starts empty; its Go zero value (base) only decides what counts as added.
  const merged = merge(live ? base : {}, withoutManaged(config), write.type.schema) as KubeObject;
  const changes = compare(base, merged, write.type.schema);
  const changed = scoped(write, changes.added.union(changes.modified));
  const removed = scoped(write, changes.removed);
  const previous = owners.find((o) => sameWorkflow(o, write.manager, 'Apply', write));
  const others = owners.filter((o) => o !== previous);
  const conflicts = others.map((o) => ({ owner: o, paths: o.set.intersection(changed) })).filter((c) => c.paths.size > 0);
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  const set = scoped(write, toFieldSet(withoutManaged(config), write.type.schema));
  owners = others.map((o) => ({ ...o, set: o.set.difference(changed).difference(removed) }));
  const same = previous && changed.size === 0 && removed.size === 0 && previous.set.size === set.size && previous.set.difference(set).size === 0;
  const time = same ? previous.time : write.now;
  owners.push({ manager: write.manager, operation: 'Apply', apiVersion: write.apiVersion, ...(write.subresource ? { subresource: write.subresource } : {}), ...(time ? { time } : {}), set });
  let result: unknown = merged;
  if (previous) {
    // Fields this applier set before and no longer does go, unless someone still owns them or something under them.
    const owned = owners.reduce((all, o) => all.union(o.set), new FieldSet());
    const ownedKeys = [...owned].map((p) => p.join('\u0000'));
    const dropped = [...previous.set.difference(owned)].filter((p) => !ownedKeys.some((k) => k.startsWith(p.join('\u0000') + '\u0000')));
    result = removePaths(merged, dropped, write.type.schema);
  }
  const object = result as KubeObject;
  return { ...object, metadata: { ...object.metadata, managedFields: encodeOwners(owners) } };
}
