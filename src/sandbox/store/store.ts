/**
 * The in-memory cluster state: every object of every served kind, one global resourceVersion counter, and a
 * bounded history of changes for watches that resume from a resourceVersion.
 *
 * Stored objects are never mutated in place (each change stores a new object), so readers may keep references.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ChangeType, ClusterView, KubeObject } from '../types.js';
import { ApiError } from '../../core/api-status.js';
import { alreadyExists, conflict, invalid, invalidFields, notFound, strictDecoding } from './api-error.js';
import { nameErrors, nameRuleOf } from './names.js';
import { admitCreate, admitDelete, isNamespaceType } from './namespace-lifecycle.js';
import { applySchema } from './schema.js';
import type { ResourceType } from './resource-types.js';
import { withDefaults, withDerived } from './defaults.js';
import { immutableFieldErrors } from './immutable-fields.js';
import { finalizersOf, sortKey, specPart, tracksGeneration } from './object-meta.js';
import { BUILTIN_TYPES, CRD_GROUP, CRD_KIND, TypeRegistry, typeFromCrd } from './resource-types.js';

export interface StoreEvent {
  type: ChangeType;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before a MODIFIED change. */
  old?: KubeObject;
  resourceVersion: number;
  typeKey: string;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  /** Validate and compute the result without storing it (`?dryRun=All`). */
  dryRun?: boolean;
  /** What fields unknown to the kind's schema do: fail (Strict), warn (the default) or nothing; pruned either way. */
  fieldValidation?: FieldValidation;
  /** Receives the warnings of the write (`unknown field "spec.x"`), for the `Warning` header. */
  warnings?: string[];
}

export interface UpdateOptions extends WriteOptions {
  /**
   * `status`: only the status changes; otherwise the status is kept (for kinds with a status subresource).
   * `finalize`: only a Namespace's spec.finalizers change (`…/namespaces/NAME/finalize`, the namespace controller).
   */
  subresource?: 'status' | 'finalize';
}

/** What happens to an object's dependents (objects whose ownerReferences name it) when it is deleted. */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** The finalizers the API server adds for a Foreground or Orphan delete; the garbage collector removes them. */
export const GC_FINALIZERS = { Foreground: 'foregroundDeletion', Orphan: 'orphan' } as const;

/** DeleteOptions (`?dryRun=All`, or the request body), preconditions included. */
export interface DeleteOptions extends WriteOptions {
  /**
   * Background (the default): the object goes now and the garbage collector deletes its dependents after.
   * Foreground: it stays, marked and holding `foregroundDeletion`, until its blocking dependents are gone.
   * Orphan: it stays holding `orphan` until the collector has removed it from its dependents' ownerReferences.
   */
  propagationPolicy?: PropagationPolicy;
  resourceVersion?: string;
  uid?: string;
  /** Recorded as deletionGracePeriodSeconds when the object waits for finalizers. */
  gracePeriodSeconds?: number;
}

export interface StoreOptions {
  /** How many changes a watch can resume across; older resourceVersions answer 410 Expired. */
  historyLimit?: number;
  now?: () => Date;
}

export function typeKeyOf(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** RFC 3339 at second precision, as Kubernetes writes timestamps. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Store implements ClusterView {
  readonly types = new TypeRegistry(BUILTIN_TYPES);
  private revision = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  /**
   * Validating admission by kind (`group/Kind`), like a webhook (Istio's validation.istio.io): runs after the
   * schema on every create and update, dry runs included, and throws the denial.
   */
  readonly admission = new Map<string, (object: KubeObject) => void>();
  private readonly historyLimit: number;
  private readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  // ClusterView
  list(group: string, kind: string): KubeObject[] {
    return [...(this.objects.get(typeKeyOf(group, kind))?.values() ?? [])];
  }

  subscribe(listener: (type: ChangeType, object: KubeObject) => void): () => void {
    return this.onChange((event) => listener(event.type, event.object));
  }

  /** Called synchronously after each committed change, in order. */
  onChange(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(type).get(objectKey(type.namespaced ? namespace : undefined, name));
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.find(type, namespace, name);
    if (!object) throw notFound(type, name);
    return object;
  }

  /** Objects of a kind, sorted by namespace and name; all namespaces when `namespace` is undefined. */
  select(type: ResourceType, namespace?: string): KubeObject[] {
    const items = [...this.bucket(type).values()].filter(
      (o) => !type.namespaced || namespace === undefined || o.metadata.namespace === namespace,
    );
    return items.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  create(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const metadata = { ...input.metadata };
    if (!metadata.name && typeof metadata.generateName === 'string' && metadata.generateName !== '') {
      metadata.name = metadata.generateName + randomBytes(3).toString('hex').slice(0, 5);
    }
    // Admission (NamespaceLifecycle) runs before validation, as on a real API server.
    if (type.namespaced) {
      metadata.namespace ||= 'default';
      admitCreate(type, metadata.name ?? '', this.requireNamespace(metadata.namespace));
    } else {
      delete metadata.namespace;
    }
    if (!metadata.name) throw invalid(type, '', 'metadata.name', 'Required value: name or generateName is required');
    const badName = nameErrors(nameRuleOf(type.group, type.kind), metadata.name);
    if (badName.length > 0) throw invalidFields(type, metadata.name, badName);
    if (this.find(type, metadata.namespace, metadata.name)) throw alreadyExists(type, metadata.name);
    delete metadata.resourceVersion;
    metadata.uid = randomUUID();
    metadata.creationTimestamp = timestamp(this.now());
    if (tracksGeneration(type)) metadata.generation = 1;
    else delete metadata.generation;
    const object: KubeObject = this.validate(type, withDefaults(type, { ...structuredClone(input), metadata }, options), options);
    // A dry-run create answers without a resourceVersion: nothing was stored.
    if (options.dryRun) return object;
    return this.commit(type, 'ADDED', object);
  }

  /** Replaces an object (PUT semantics). A resourceVersion in the input must match the stored one. */
  update(type: ResourceType, input: KubeObject, options: UpdateOptions = {}): KubeObject {
    const name = input.metadata?.name;
    if (!name) throw invalid(type, '', 'metadata.name', 'Required value: name is required');
    const current = this.get(type, input.metadata.namespace, name);
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) throw conflict(type, name);
    let next: KubeObject;
    const deleting = current.metadata.deletionTimestamp;
    if (options.subresource === 'status') {
      next = { ...current, status: structuredClone(input.status) };
      if (input.status === undefined) delete next.status;
      // The rest of the metadata is the stored one (ResetObjectMetaForStatus), but not managedFields: the field
      // manager has recorded this write's status fields in the request's, which the API server keeps.
      const managed = input.metadata.managedFields;
      if (managed !== undefined) next.metadata = { ...current.metadata, managedFields: structuredClone(managed) };
    } else if (options.subresource === 'finalize') {
      next = { ...current, spec: { ...current.spec, finalizers: structuredClone(input.spec?.finalizers ?? []) } };
    } else {
      next = {
        ...structuredClone(input),
        metadata: {
          ...structuredClone(input.metadata),
          // Identity and bookkeeping fields belong to the server.
          name,
          uid: current.metadata.uid,
          creationTimestamp: current.metadata.creationTimestamp,
          generation: current.metadata.generation,
        },
      };
      if (type.namespaced) next.metadata.namespace = current.metadata.namespace;
      else delete next.metadata.namespace;
      if (type.subresources.status) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
      // A Namespace's spec.finalizers change only through …/finalize.
      if (isNamespaceType(type)) next.spec = current.spec;
      next = withDerived(type, next);
      const frozen = immutableFieldErrors(type, current, next);
      if (frozen.length > 0) throw invalidFields(type, name, frozen);
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    // The deletion mark belongs to the server: a write can neither set nor clear it.
    if (deleting) next.metadata = { ...next.metadata, deletionTimestamp: deleting, deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds ?? 0 };
    else delete next.metadata.deletionTimestamp;
    if (!tracksGeneration(type)) delete next.metadata.generation;
    else if (!isDeepStrictEqual(specPart(next), specPart(current))) next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    next = this.validate(type, next, options);
    // A no-op write keeps the resourceVersion and notifies nobody, as on a real API server.
    if (isDeepStrictEqual(next, current) || options.dryRun) return next;
    // The last finalizer of an object being deleted is gone: now it goes (a Namespace once spec.finalizers is empty
    // too, which only …/finalize changes: the API server's ShouldDeleteNamespaceDuringUpdate).
    const specFinalizers = isNamespaceType(type) ? ((next.spec?.finalizers ?? []) as string[]) : [];
    if (deleting && finalizersOf(next).length === 0 && specFinalizers.length === 0) return this.commit(type, 'DELETED', next, current);
    return this.commit(type, 'MODIFIED', next, current);
  }

  /**
   * Deletes an object, or marks it for deletion when finalizers hold it (a Namespace is always marked first and
   * goes Terminating; its controller empties it and deletes it again). A dry run answers the same without a change.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const current = this.get(type, namespace, name);
    admitDelete(type, name);
    if (options.resourceVersion && options.resourceVersion !== current.metadata.resourceVersion) throw conflict(type, name);
    if (options.uid && options.uid !== current.metadata.uid) throw conflict(type, name);
    const namespaceFinalizers = isNamespaceType(type) ? ((current.spec?.finalizers ?? []) as string[]) : [];
    const policy = options.propagationPolicy;
    // A Namespace empties itself through its own controller; the policy only concerns owners of dependents.
    const gcFinalizer = policy === 'Foreground' || policy === 'Orphan' ? (isNamespaceType(type) ? undefined : GC_FINALIZERS[policy]) : undefined;
    if (finalizersOf(current).length > 0 || namespaceFinalizers.length > 0 || gcFinalizer) {
      if (current.metadata.deletionTimestamp) return current;
      const finalizers = gcFinalizer && !finalizersOf(current).includes(gcFinalizer) ? [...finalizersOf(current), gcFinalizer] : finalizersOf(current);
      const metadata = {
        ...current.metadata,
        ...(finalizers.length > 0 ? { finalizers } : {}),
        deletionTimestamp: timestamp(this.now()),
        deletionGracePeriodSeconds: options.gracePeriodSeconds ?? 0,
      };
      const marked: KubeObject = { ...current, metadata, ...(isNamespaceType(type) ? { status: { ...current.status, phase: 'Terminating' } } : {}) };
      return options.dryRun ? marked : this.commit(type, 'MODIFIED', marked, current);
    }
    return options.dryRun ? current : this.commit(type, 'DELETED', current);
  }

  /** Changes after `resourceVersion`, or 'expired' when some of them are no longer retained. */
  since(resourceVersion: string): StoreEvent[] | 'expired' {
    const after = Number(resourceVersion);
    if (!Number.isInteger(after) || after < 0) throw ApiError.of('BadRequest', `invalid resource version: ${resourceVersion}`);
    const oldest = this.history[0]?.resourceVersion ?? this.revision + 1;
    if (after + 1 < oldest) return 'expired';
    return this.history.filter((e) => e.resourceVersion > after);
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumable(): number {
    return (this.history[0]?.resourceVersion ?? this.revision + 1) - 1;
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const key = typeKeyOf(type.group, type.kind);
    let bucket = this.objects.get(key);
    if (!bucket) this.objects.set(key, (bucket = new Map()));
    return bucket;
  }

  private requireNamespace(namespace: string): KubeObject {
    const nsType = this.types.byKind('', 'Namespace')!;
    const found = this.find(nsType, undefined, namespace);
    if (!found) throw notFound(nsType, namespace);
    return found;
  }

  /** Checks the object against its kind and its schema; returns it pruned of the fields the schema does not know. */
  private validate(type: ResourceType, object: KubeObject, options: WriteOptions = {}): KubeObject {
    if (type.schema) {
      const result = applySchema(type.schema, object);
      if (result.unknown.length > 0 && options.fieldValidation === 'Strict') {
        const version = object.apiVersion.includes('/') ? object.apiVersion.slice(object.apiVersion.indexOf('/') + 1) : object.apiVersion;
        throw strictDecoding(type, version, result.unknown);
      }
      if (result.errors.length > 0) throw invalidFields(type, object.metadata.name, result.errors);
      if (options.fieldValidation !== 'Ignore') for (const field of result.unknown) options.warnings?.push(`unknown field "${field}"`);
      object = result.pruned as KubeObject;
    }
    if (type.group === CRD_GROUP && type.kind === CRD_KIND) {
      const custom = typeFromCrd(object);
      if (!custom) throw invalid(type, object.metadata.name, 'spec', 'Invalid value: group, names.kind, names.plural and a served version are required');
      if (object.metadata.name !== `${custom.plural}.${custom.group}`) {
        throw invalid(type, object.metadata.name, 'metadata.name', `Invalid value: "${object.metadata.name}": must be spec.names.plural+"."+spec.group`);
      }
    }
    this.admission.get(typeKeyOf(type.group, type.kind))?.(object);
    return object;
  }

  private commit(type: ResourceType, change: ChangeType, object: KubeObject, old?: KubeObject): KubeObject {
    this.revision++;
    const stored: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
    const bucket = this.bucket(type);
    const key = objectKey(stored.metadata.namespace, stored.metadata.name);
    if (change === 'DELETED') bucket.delete(key);
    else bucket.set(key, stored);
    const event: StoreEvent = { type: change, object: stored, old, resourceVersion: this.revision, typeKey: typeKeyOf(type.group, type.kind) };
    this.history.push(event);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const listener of [...this.listeners]) listener(event);
    this.cascade(type, change, stored);
    return stored;
  }

  /** Keeps derived state in step: kinds registered by CRDs, objects inside a deleted namespace or kind. */
  private cascade(type: ResourceType, change: ChangeType, object: KubeObject): void {
    if (type.group === CRD_GROUP && type.kind === CRD_KIND) {
      if (change === 'DELETED') {
        const gone = this.types.unregister(object.metadata.name);
        if (gone) for (const o of this.select(gone)) this.commit(gone, 'DELETED', o);
      } else {
        this.types.register(object.metadata.name, typeFromCrd(object)!);
      }
    } else if (type.group === '' && type.kind === 'Namespace' && change === 'DELETED') {
      for (const t of this.types.all().filter((t) => t.namespaced)) {
        for (const o of this.select(t, object.metadata.name)) this.commit(t, 'DELETED', o);
      }
    }
  }
}
