/**
 * For `--verify-splits`: which split a step's request goes through, and which model answered one attempt.
 */
import type { Step } from '../core/model.js';
import type { StepOutput } from '../core/step.js';
import type { MatchContext, SplitInfo } from './types.js';
import { parseJsonStream } from './json-compare.js';
import { grpcPath, modelName, splitCovering, urlPath } from './splits.js';
import { MODEL_KEYS, parseTranscript } from './curl.js';
import { recordedForm } from './recorded.js';

/** The model named in a recorded or actual output (`model_name`, `modelName`, `seldon-route`), as written. */
export function namedModel(step: Step, text: string, output?: StepOutput): string | undefined {
  if (step.kind !== 'curl' && step.kind !== 'grpcurl') return undefined;
  let body = text;
  let headers: [string, string][] = [];
  if (step.kind === 'curl') {
    const t = parseTranscript(text);
    body = output?.data?.type === 'http' ? output.data.body : t.body;
    headers = output?.data?.type === 'http' ? Object.entries(output.data.headers) : t.headers;
  }
  const values = parseJsonStream(body);
  const first = values?.[0];
  if (typeof first === 'object' && first !== null) {
    for (const key of MODEL_KEYS) {
      const v = (first as Record<string, unknown>)[key];
      if (typeof v === 'string') return v;
    }
  }
  for (const [k, v] of headers) if (MODEL_KEYS.has(k.toLowerCase())) return v;
  return undefined;
}

/** The split a curl or grpcurl step's recorded answer goes through, if the run applied one covering it. */
export function splitForStep(step: Step, ctx: MatchContext): SplitInfo | undefined {
  if (!step.expected || (step.kind !== 'curl' && step.kind !== 'grpcurl')) return undefined;
  const recorded = namedModel(step, step.expected.text);
  if (recorded === undefined) return undefined;
  const path = step.kind === 'curl' ? urlPath(step.args.url) : grpcPath(step.args.method);
  return splitCovering(ctx.splits, recorded, path);
}

/** The unversioned model that answered one attempt (`iris2` for `iris2_1`), for counting shares. */
export function answeredModel(step: Step, output: StepOutput): string | undefined {
  const named = namedModel(step, recordedForm(step, output), output);
  return named === undefined ? undefined : modelName(named).base;
}
