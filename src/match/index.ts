/**
 * Compares a step's actual output with its recorded output, after the step ran. Steps never match; the runner
 * calls `matchStep` and, for read-only steps (`isReadOnly`), retries until it passes or the budget is spent.
 */
import type { KindTable, Step } from '../core/model.js';
import type { StepOutput } from '../core/step.js';
import type { MatchContext, MatchResult } from './types.js';
import { compareExact, compareText } from './text.js';
import { compareLineSets, hasObjectLines } from './kube-lines.js';
import { compareBuild } from './build.js';
import { compareCurl } from './curl.js';
import { compareGrpcurl } from './grpcurl.js';
import { compareCapture } from './capture.js';
import { compareSeldon } from './seldon.js';
import { recordedForm } from './recorded.js';
import { normalise } from './normalise.js';
import { producersOf, reorderActual } from './unordered.js';

export type { Diff, MatchContext, MatchResult, PathEntry, SplitDestination, SplitInfo, TextHunk } from './types.js';
export { recordedForm } from './recorded.js';
export { formatDiff, type FormatOptions } from './format.js';
export { experimentsFromManifests, splitsFromManifests, splitCovering, splitAccepts, modelName, urlPath, grpcPath } from './splits.js';
export { checkSplit, chiSquareSurvival, SPLIT_ALPHA, type SplitCheck, type ShareReport } from './chi-square.js';
export { isReadOnly } from './read-only.js';
export { normalise, normalisers } from './normalise.js';
export { answeredModel, splitForStep } from './answered.js';
export { judgeRerun, type RerunVerdict } from './judge.js';
export { withoutRules, ruleOn } from './rules.js';
export { producersOf, reorderActual, type Producer } from './unordered.js';
export { ruleCatalogue, type RuleDoc } from './rule-docs.js';

type Matcher = (step: Step, actual: StepOutput, shown: string, ctx: MatchContext) => MatchResult;

const expectedOf = (step: Step) => step.expected?.text ?? '';

function lineSet(kind: 'apply' | 'wait' | 'delete'): Matcher {
  return (step, _actual, shown) => {
    const expected = expectedOf(step);
    // Output with no object lines (a `No resources found`, a custom message) is compared as text.
    if (!hasObjectLines(kind, expected) && !hasObjectLines(kind, shown)) return compareText(expected, shown);
    return compareLineSets(kind, expected, shown, step.options.strictOutcome === true);
  };
}

const matchers: KindTable<Matcher> = {
  build: (step, actual, shown) => compareBuild(expectedOf(step), actual.stdout, shown),
  apply: lineSet('apply'),
  wait: lineSet('wait'),
  delete: lineSet('delete'),
  curl: (step, actual, shown, ctx) => compareCurl(step as Extract<Step, { kind: 'curl' }>, actual, shown, ctx),
  grpcurl: (step, _actual, shown, ctx) => compareGrpcurl(step as Extract<Step, { kind: 'grpcurl' }>, shown, ctx),
  capture: (step, _actual, shown) => compareCapture(expectedOf(step), shown),
  shell: (step, _actual, shown) => compareText(expectedOf(step), shown),
  python: (step, _actual, shown) => compareText(expectedOf(step), shown),
  writefile: (step, _actual, shown) => compareText(expectedOf(step), shown),
  env: (step, _actual, shown) => compareText(expectedOf(step), shown),
  seldon: (step, _actual, shown, ctx) => compareSeldon(step as Extract<Step, { kind: 'seldon' }>, shown, ctx),
};

/**
 * The verdict for one attempt of a step. A step with no recorded output always matches (its exit status is
 * the runner's business); `expect=ignore|exact|contains` override the kind's own comparison.
 */
export function matchStep(step: Step, actual: StepOutput, ctx: MatchContext): MatchResult {
  const shown = recordedForm(step, actual);
  const mode = step.options.expect ?? 'default';
  if (!step.expected || mode === 'ignore') {
    return { ok: true, expectedNormalised: normalise(expectedOf(step)), actualNormalised: normalise(shown) };
  }
  if (mode === 'exact') return compareExact(step.expected.text, shown);
  if (mode === 'contains') return compareText(step.expected.text, shown, 'contains');
  // Blocks whose order the command's producer does not define take the recorded order first, whatever the kind.
  return matchers[step.kind](step, actual, reorderActual(step.expected.text, shown, producersOf(step.command)), ctx);
}
