/** The models loaded behind the Seldon mesh, keyed by namespace and Model name; the scheduler loads and unloads them. */
import type { ModelArtefact, ModelLoadRequest, ModelRegistry, ObjectRef } from '../types.js';
import { artefactOf, modelFor, type KnownModel } from './models/index.js';

export interface LoadedModel {
  readonly namespace: string;
  /** The Model's name, as the `seldon-model` header names it. */
  readonly name: string;
  readonly version: number;
  /** `<name>_<version>`, the name the inference server answers with. */
  readonly servedName: string;
  /** The Server the scheduler placed it on. */
  readonly server: string;
  readonly model: KnownModel;
}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class InMemoryModelRegistry implements ModelRegistry {
  readonly #models = new Map<string, LoadedModel>();
  readonly #listeners = new Set<() => void>();

  /** Resolves once the model serves; a later version replaces the earlier one (Seldon keeps only the latest). */
  async load(request: ModelLoadRequest): Promise<void> {
    const model = modelFor(request.storageUri);
    await model.prepare?.();
    const { namespace, name, version, server } = request;
    // Models of one kind share their code: 100 loaded models cost 100 small records.
    this.#models.set(keyOf(namespace, name), { namespace, name, version, servedName: `${name}_${version}`, server, model });
    this.#changed();
  }

  unload(ref: ObjectRef): void {
    if (this.#models.delete(keyOf(ref.namespace, ref.name))) this.#changed();
  }

  artefact(storageUri: string): ModelArtefact | undefined {
    return artefactOf(storageUri);
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
