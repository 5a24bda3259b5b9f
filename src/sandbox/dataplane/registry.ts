/** The models loaded behind the Seldon mesh, keyed by Model name; the controller loads and unloads them. */
import type { ModelRegistry } from '../types.js';
import { irisClassifier, type Classifier } from './iris-model.js';
import { resolveStorageUri } from './storage-uri.js';

export interface LoadedModel {
  /** The Model's name, as the `seldon-model` header names it. */
  readonly name: string;
  readonly version: number;
  /** `<name>_<version>`, the name the inference server answers with. */
  readonly servedName: string;
  readonly classifier: Classifier;
}

export class InMemoryModelRegistry implements ModelRegistry {
  readonly #models = new Map<string, LoadedModel>();
  readonly #listeners = new Set<() => void>();

  /** Resolves once the model serves; a later version replaces the earlier one (Seldon keeps only the latest). */
  async load(name: string, version: number, storageUri: string): Promise<void> {
    resolveStorageUri(storageUri);
    // Every iris URI shares one trained tree: loading 100 models costs 100 small records, not 100 trainings.
    const classifier = irisClassifier();
    this.#models.set(name, { name, version, servedName: `${name}_${version}`, classifier });
    this.#changed();
  }

  unload(name: string): void {
    if (this.#models.delete(name)) this.#changed();
  }

  /** The model the mesh routes `seldon-model: name` to, if loaded. */
  get(name: string): LoadedModel | undefined {
    return this.#models.get(name);
  }

  list(): LoadedModel[] {
    return [...this.#models.values()];
  }

  /** Called after each load or unload that changed what is served. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
