/**
 * Checks of a Pipeline the scheduler makes before accepting it, in the order and with the messages of Seldon's
 * scheduler (scheduler/pkg/store/pipeline): step names, references, input specifiers, cycles, inputs versus
 * triggers. And one the sandbox adds once the step models are known: a tensorMap must name a tensor the
 * referenced model has.
 */
import type { ModelArtefact } from '../types.js';
import type { PipelineDefinition } from './types.js';

const stepOf = (reference: string): string => reference.split('.')[0] ?? '';

/** The first problem Seldon would report, or undefined for a valid pipeline. */
export function pipelineProblem(p: PipelineDefinition): string | undefined {
  const steps = new Map(p.steps.map((s) => [s.name, s]));
  if (p.steps.some((s) => s.name === p.name)) return `pipeline ${p.name} must not have a step name with the same name`;
  if (steps.size !== p.steps.length) {
    const seen = new Set<string>();
    const repeated = p.steps.find((s) => (seen.has(s.name) ? true : (seen.add(s.name), false)));
    return `pipeline ${p.name} has repeated step ${repeated?.name ?? ''}`;
  }
  for (const step of p.steps) {
    for (const input of step.inputs) {
      const name = stepOf(input);
      if (!steps.has(name) && name !== p.name) return `pipeline ${p.name} step ${step.name} has input ${name} for step that does not exist`;
    }
  }
  for (const output of p.output?.steps ?? []) {
    if (!steps.has(stepOf(output))) return `pipeline ${p.name} output step ${stepOf(output)} not found`;
  }
  for (const step of p.steps) {
    for (const input of step.inputs) {
      const parts = input.split('.');
      if (parts.length < 2 || parts.length > 3 || (parts[1] !== 'inputs' && parts[1] !== 'outputs')) {
        return `pipeline step input invalid pipeline ${p.name} step ${step.name} input step ${input}.`;
      }
    }
  }
  if (hasCycle(p)) return `pipeline ${p.name} has a cycle`;
  for (const step of p.steps) {
    const inputs = new Set(step.inputs.map(stepOf));
    const both = step.triggers.find((t) => inputs.has(t));
    if (both !== undefined) return `pipeline ${p.name} : inputs and triggers must differ, but found ${both} in both`;
  }
  return undefined;
}

/** A step reached again from itself through inputs or triggers (references to the pipeline itself excluded). */
function hasCycle(p: PipelineDefinition): boolean {
  const edges = new Map(p.steps.map((s) => [s.name, [...s.inputs, ...s.triggers].map(stepOf).filter((n) => n !== p.name)]));
  const done = new Set<string>();
  const visit = (name: string, path: Set<string>): boolean => {
    if (path.has(name)) return true;
    if (done.has(name)) return false;
    path.add(name);
    for (const next of edges.get(name) ?? []) if (visit(next, path)) return true;
    path.delete(name);
    done.add(name);
    return false;
  };
  return p.steps.some((s) => visit(s.name, new Set()));
}

/**
 * A tensorMap key (`step.outputs.TENSOR` or `step.inputs.TENSOR`) naming a tensor its step's model does not
 * have; `artefactOf` gives the loaded model's artefact (undefined: not known, not checked).
 */
export function missingTensor(p: PipelineDefinition, artefactOf: (model: string) => ModelArtefact | undefined): string | undefined {
  const maps = [...p.steps.map((s) => ({ where: `step ${s.name}`, map: s.tensorMap })), { where: 'output', map: p.output?.tensorMap ?? {} }];
  for (const { where, map } of maps) {
    for (const key of Object.keys(map)) {
      const [model, kind, tensor] = key.split('.');
      if (model === undefined || tensor === undefined || (kind !== 'inputs' && kind !== 'outputs')) continue;
      const artefact = artefactOf(model);
      if (!artefact) continue;
      const tensors = kind === 'inputs' ? artefact.inputs : artefact.outputs;
      if (!tensors.some((t) => t.name === tensor)) {
        return `pipeline ${p.name} ${where} tensorMap names ${key}, but model ${model} has no ${kind === 'inputs' ? 'input' : 'output'} tensor ${tensor} (it has ${tensors.map((t) => t.name).join(', ')})`;
      }
    }
  }
  return undefined;
}
