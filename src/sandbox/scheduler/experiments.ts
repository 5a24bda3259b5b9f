/**
 * The scheduler's Experiments: validated on start with Seldon's messages, routed by the data plane once every
 * candidate (and the mirror) is available.
 */
import type { ExperimentRegistry } from '../types.js';
import type { ModelView, PipelineBook } from './pipelines.js';
import type { ExperimentDefinition, ExperimentStatusRecord, SchedulerEvent } from './types.js';
import { SchedulerError, keyOf } from './types.js';

export const EXPERIMENT_ACTIVE = 'experiment active';

export interface ExperimentBookOptions {
  registry: ExperimentRegistry;
  models: ModelView;
  pipelines: PipelineBook;
  emit: (event: SchedulerEvent) => void;
}

export class ExperimentBook {
  readonly #records = new Map<string, ExperimentStatusRecord>();

  constructor(private readonly options: ExperimentBookOptions) {}

  /** StartExperiment: replaces a running experiment of the same name. */
  start(definition: ExperimentDefinition): void {
    const { name, namespace } = definition;
    if (definition.candidates.length === 0) throw new SchedulerError('FAILED_PRECONDITION', `experiment ${name} has no candidates`);
    const negative = definition.candidates.find((c) => c.weight < 0);
    if (negative) throw new SchedulerError('FAILED_PRECONDITION', `experiment ${name} candidate ${negative.name} has a negative weight ${negative.weight}`);
    if (definition.candidates.reduce((sum, c) => sum + c.weight, 0) <= 0) {
      throw new SchedulerError('FAILED_PRECONDITION', `experiment ${name} candidate weights sum to 0: at least one candidate needs a positive weight`);
    }
    if (definition.mirror && (definition.mirror.percent < 0 || definition.mirror.percent > 100)) {
      throw new SchedulerError('FAILED_PRECONDITION', `experiment ${name} mirror percent ${definition.mirror.percent} is not between 0 and 100`);
    }
    if (definition.default !== undefined) {
      const other = this.list(namespace).find((e) => e.definition.name !== name && e.definition.default === definition.default);
      if (other) {
        throw new SchedulerError(
          'FAILED_PRECONDITION',
          `Model ${definition.default} already in experiment ${other.definition.name} as a baseline. A model can only appear in one experiment as a baseline model`,
        );
      }
    }
    const record: ExperimentStatusRecord = { definition, active: false, candidatesReady: false, mirrorReady: false, statusDescription: '' };
    const previous = this.#records.get(keyOf(namespace, name));
    if (previous?.active) this.options.registry.stop({ namespace, name });
    this.#records.set(keyOf(namespace, name), record);
    this.#evaluate(record, true);
  }

  stop(namespace: string, name: string): void {
    const record = this.#records.get(keyOf(namespace, name));
    if (!record) throw new SchedulerError('NOT_FOUND', `Experiment not found ${name}`);
    this.#records.delete(keyOf(namespace, name));
    if (record.active) this.options.registry.stop({ namespace, name });
    record.active = false;
    record.statusDescription = 'experiment stopped';
    this.options.emit({ kind: 'experiment', record, deleted: true });
  }

  get(namespace: string, name: string): ExperimentStatusRecord | undefined {
    return this.#records.get(keyOf(namespace, name));
  }

  list(namespace?: string): ExperimentStatusRecord[] {
    return [...this.#records.values()].filter((e) => namespace === undefined || e.definition.namespace === namespace);
  }

  refresh(namespace: string): void {
    for (const record of this.list(namespace)) this.#evaluate(record, false);
  }

  #ready(record: ExperimentStatusRecord, name: string): boolean {
    const { namespace, resourceType } = record.definition;
    return resourceType === 'pipeline' ? this.options.pipelines.ready(namespace, name) : this.options.models.available(namespace, name) !== undefined;
  }

  #evaluate(record: ExperimentStatusRecord, fresh: boolean): void {
    const { definition } = record;
    const before = JSON.stringify([record.active, record.candidatesReady, record.mirrorReady, record.statusDescription]);
    record.candidatesReady = definition.candidates.every((c) => this.#ready(record, c.name));
    record.mirrorReady = definition.mirror ? this.#ready(record, definition.mirror.name) : true;
    if (record.candidatesReady && record.mirrorReady) {
      if (!record.active) {
        this.options.registry.start({
          namespace: definition.namespace,
          name: definition.name,
          spec: {
            ...(definition.default !== undefined ? { default: definition.default } : {}),
            candidates: definition.candidates,
            ...(definition.mirror ? { mirror: definition.mirror } : {}),
            resourceType: definition.resourceType,
          },
        });
      }
      record.active = true;
      record.statusDescription = EXPERIMENT_ACTIVE;
    } else if (!record.active) {
      record.statusDescription = record.candidatesReady ? 'mirror not ready' : 'candidates not ready';
    }
    const after = JSON.stringify([record.active, record.candidatesReady, record.mirrorReady, record.statusDescription]);
    if (fresh || before !== after) this.options.emit({ kind: 'experiment', record, deleted: false });
  }
}
