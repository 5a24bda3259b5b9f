/**
 * What the step loop learns as it goes, for the phases after it: which steps ran and how, what apply steps
 * created (for cleanup), what delete steps removed (not cleaned up again), the traffic splits applied (for the
 * matchers), and which outputs differ (for --update).
 */
import type { Step } from '../core/model.js';
import type { StepOutput, TouchedObject } from '../core/step.js';
import type { StepReport } from '../core/events.js';
import { experimentsFromManifests, splitsFromManifests, type MatchContext } from '../match/index.js';

export interface RunProgress {
  reports: StepReport[];
  ranSteps: Set<number>;
  /** Every object apply steps touched, in order, with their outcome. */
  applied: TouchedObject[];
  appliedManifests: unknown[];
  /** Objects the runbook's own delete steps removed: nothing left for cleanup to do about them. */
  deleted: TouchedObject[];
  outputs: Map<number, StepOutput>;
  mismatched: Set<number>;
  match: MatchContext;
  failed: boolean;
  /** The presenter quit a guided run. */
  quit: boolean;
}

export function newProgress(): RunProgress {
  return {
    reports: [],
    ranSteps: new Set(),
    applied: [],
    appliedManifests: [],
    deleted: [],
    outputs: new Map(),
    mismatched: new Set(),
    match: { splits: [], experiments: [] },
    failed: false,
    quit: false,
  };
}

/** Notes one attempt's output: objects applied or deleted, and the splits the applied manifests declare. */
export function recordOutput(progress: RunProgress, step: Step, output: StepOutput): void {
  progress.outputs.set(step.index, output);
  if (output.data?.type !== 'objects') return;
  // What `seldon … load/start` loaded is cleaned up like applied objects (the sandbox mirrors it as a resource).
  if (step.kind === 'apply' || step.kind === 'seldon') {
    for (const object of output.data.objects) {
      progress.applied.push(object);
      if (object.manifest) progress.appliedManifests.push(object.manifest);
    }
    progress.match.splits = splitsFromManifests(progress.appliedManifests);
    progress.match.experiments = experimentsFromManifests(progress.appliedManifests);
  }
  if (step.kind === 'delete' || step.kind === 'seldon') {
    for (const object of output.data.objects) if (object.outcome === 'deleted') progress.deleted.push(object);
  }
}
