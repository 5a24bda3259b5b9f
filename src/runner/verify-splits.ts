/**
 * `--verify-splits N`: after a curl or grpcurl step that went through a weighted traffic split has passed,
 * send N more requests and check the observed shares against the weights (chi-square, p > 0.001).
 */
import type { Step } from '../core/model.js';
import type { StepContext } from '../core/step.js';
import { answeredModel, checkSplit, splitForStep, type MatchContext } from '../match/index.js';
import type { LoadRunner } from './step.js';

export interface SplitVerdict {
  ok: boolean;
  /** `iris1 48.5% (want 50%), iris2 51.5% (want 50%), χ² p=0.34`. */
  summary: string;
}

/** Undefined when the step does not go through a split (nothing to verify). */
export async function verifySplit(
  step: Step,
  requests: number,
  ctx: StepContext,
  match: MatchContext,
  loadRunner: LoadRunner,
): Promise<SplitVerdict | undefined> {
  const split = splitForStep(step, match);
  if (!split || (step.kind !== 'curl' && step.kind !== 'grpcurl')) return undefined;
  const runner = await loadRunner(step.kind);
  const counts: Record<string, number> = {};
  const quiet: StepContext = { ...ctx, write: () => undefined };
  for (let i = 0; i < requests && !ctx.signal.aborted; i++) {
    const output = await runner.run(step.args, quiet);
    const model = answeredModel(step, output) ?? '(no model named)';
    counts[model] = (counts[model] ?? 0) + 1;
  }
  const destinations = split.destinations.filter((d) => d.model !== undefined).map((d) => ({ model: d.model!, weight: d.weight }));
  const result = checkSplit(destinations, counts);
  const shares = result.shares
    .map((s) => `${s.model} ${(s.observedShare * 100).toFixed(1)}% (want ${(s.expectedShare * 100).toFixed(0)}%)`)
    .join(', ');
  const strays = Object.keys(counts).filter((m) => !destinations.some((d) => d.model === m));
  const extra = strays.length > 0 ? `, outside the split: ${strays.map((m) => `${m} ×${counts[m]}`).join(', ')}` : '';
  return { ok: result.ok, summary: `${requests} requests: ${shares}${extra}; chi-square p=${result.pValue.toPrecision(2)}` };
}
