/** The models loaded behind the Seldon mesh, keyed by namespace and Model name; the scheduler loads and unloads them. */
import type { ModelArtefact, ModelLoadRequest, ModelRegistry, ObjectRef } from '../types.js';
import { irisClassifier, type Classifier } from './iris-model.js';
import { resolveStorageUri } from './storage-uri.js';

export interface LoadedModel {
  readonly namespace: string;
  /** The Model's name, as the `seldon-model` header names it. */
  readonly name: string;
  readonly version: number;
  /** `<name>_<version>`, the name the inference server answers with. */
  readonly servedName: string;
  readonly server: string;
  readonly classifier: Classifier;
}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class InMemoryModelRegistry implements ModelRegistry {
  readonly #models = new Map<string, LoadedModel>();
  readonly #listeners = new Set<() => void>();

  /** Resolves once the model serves; a later version replaces the earlier one (Seldon keeps only the latest). */
  async load(request: ModelLoadRequest): Promise<void> {
    resolveStorageUri(request.storageUri);
    const { namespace, name, version, server } = request;
    // Every iris URI shares one trained tree: loading 100 models costs 100 small records, not 100 trainings.
    const classifier = irisClassifier();
    this.#models.set(keyOf(namespace, name), { namespace, name, version, servedName: `${name}_${version}`, server, classifier });
    this.#changed();
  }

  unload(ref: ObjectRef): void {
    if (this.#models.delete(keyOf(ref.namespace, ref.name))) this.#changed();
  }

  artefact(storageUri: string): ModelArtefact | undefined {
    void storageUri;
    return undefined;
  }

  /** The model the mesh of `namespace` routes `seldon-model: name` to, if loaded. */
  get(namespace: string, name: string): LoadedModel | undefined {
    return this.#models.get(keyOf(namespace, name));
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
