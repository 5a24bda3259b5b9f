/**
 * The names a Pipeline spec uses for data: `step`, `step.outputs`, `step.inputs.TENSOR`,
 * `pipeline.inputs.TENSOR` inside a pipeline, and `other.outputs`, `other.step.s.outputs.TENSOR` across
 * pipelines (input.externalInputs). Parsed once per spec into plain data.
 */

export type Side = 'inputs' | 'outputs';

/** Data inside one pipeline run: a step's or the pipeline's own inputs, whole or one tensor. */
export type LocalRef =
  | { kind: 'step'; step: string; side: Side; tensor?: string; text: string }
  | { kind: 'pipeline'; side: 'inputs'; tensor?: string; text: string };

/** Data another pipeline produced: its inputs or outputs, or one of its steps'. */
export interface ExternalRef {
  pipeline: string;
  step?: string;
  side: Side;
  tensor?: string;
  text: string;
}

const isSide = (s: string | undefined): s is Side => s === 'inputs' || s === 'outputs';

/** Parses a step's input, trigger or output reference inside `pipeline`. */
export function parseLocal(text: string, pipeline: string): LocalRef | undefined {
  const [source, side, tensor, ...rest] = text.split('.');
  if (!source || rest.length > 0) return undefined;
  if (side !== undefined && !isSide(side)) return undefined;
  if (source === pipeline) return side === 'inputs' ? { kind: 'pipeline', side, tensor, text } : undefined;
  return { kind: 'step', step: source, side: side ?? 'outputs', tensor, text };
}

/** Parses an `input.externalInputs` or `externalTriggers` entry. */
export function parseExternal(text: string): ExternalRef | undefined {
  const parts = text.split('.');
  const [pipeline] = parts;
  if (!pipeline) return undefined;
  if (parts[1] === 'step') {
    const [, , step, side, tensor, ...rest] = parts;
    if (!step || !isSide(side) || rest.length > 0) return undefined;
    return { pipeline, step, side, tensor, text };
  }
  const [, side, tensor, ...rest] = parts;
  if (rest.length > 0 || (side !== undefined && !isSide(side))) return undefined;
  return { pipeline, side: side ?? 'outputs', tensor, text };
}

/** The tensorMap key of one tensor reached through `ref` (always the long form). */
export function localKey(ref: LocalRef, tensor: string, pipeline: string): string {
  return ref.kind === 'pipeline' ? `${pipeline}.inputs.${tensor}` : `${ref.step}.${ref.side}.${tensor}`;
}

export function externalKey(ref: ExternalRef, tensor: string): string {
  return ref.step ? `${ref.pipeline}.step.${ref.step}.${ref.side}.${tensor}` : `${ref.pipeline}.${ref.side}.${tensor}`;
}
