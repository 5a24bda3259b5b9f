/** A tiny in-memory ClusterView for data-plane tests: put/remove objects and notify subscribers. */
import type { ChangeType, ClusterView, KubeObject } from '../../../src/sandbox/types.js';

export class MemoryClusterView implements ClusterView {
  readonly #objects = new Map<string, KubeObject>();
  readonly #listeners = new Set<(type: ChangeType, object: KubeObject) => void>();
  #clock = 0;

  list(group: string, kind: string): KubeObject[] {
    return [...this.#objects.values()].filter((o) => groupOf(o) === group && o.kind === kind);
  }

  subscribe(listener: (type: ChangeType, object: KubeObject) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Creates or replaces objects, stamping a creation time that keeps their order. */
  put(...objects: KubeObject[]): void {
    for (const object of objects) {
      const key = keyOf(object);
      const existing = this.#objects.get(key);
      const stamped: KubeObject = {
        ...object,
        metadata: {
          ...object.metadata,
          creationTimestamp: existing?.metadata.creationTimestamp ?? new Date(Date.UTC(2024, 0, 1, 0, 0, this.#clock++)).toISOString(),
        },
      };
      this.#objects.set(key, stamped);
      this.#emit(existing ? 'MODIFIED' : 'ADDED', stamped);
    }
  }

  remove(...objects: KubeObject[]): void {
    for (const object of objects) {
      const existing = this.#objects.get(keyOf(object));
      if (!existing) continue;
      this.#objects.delete(keyOf(object));
      this.#emit('DELETED', existing);
    }
  }

  #emit(type: ChangeType, object: KubeObject): void {
    for (const listener of this.#listeners) listener(type, object);
  }
}

function groupOf(object: KubeObject): string {
  return object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
}

function keyOf(object: KubeObject): string {
  return `${groupOf(object)}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
