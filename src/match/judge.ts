/**
 * Judges a re-recorded output (a doc executed again) against the recorded one, with the step's own matcher:
 * the same, different only in volatile values (and which rules forgave them), or changed (with the diff).
 * `runbook compare` calls it once per cell.
 */
import type { Step } from '../core/model.js';
import type { StepOutput } from '../core/step.js';
import type { MatchContext, MatchResult } from './types.js';
import { matchStep } from './index.js';
import { normalisers, normaliseLayout } from './normalise.js';
import { producersOf } from './unordered.js';
import { withoutRules } from './rules.js';
import { textDiff } from './text.js';
import { splitLines } from '../core/text.js';

export type RerunVerdict =
  | { verdict: 'same' }
  /** `rules`: the rules the match needed; empty when the kind's own comparison accepted it (a curl `*` line). */
  | { verdict: 'volatile'; rules: string[] }
  | { verdict: 'changed'; result: MatchResult };

/** The output a step would have returned had it printed `text` on a terminal. */
function printed(text: string): StepOutput {
  return { stdout: text, stderr: '', exitCode: 0, screen: text };
}

/** The lines only one side has (as multisets): a rule that touches none of them cannot have mattered. */
function differingLines(recorded: string, rerun: string): string[] {
  const count = new Map<string, number>();
  for (const l of splitLines(recorded)) count.set(l, (count.get(l) ?? 0) + 1);
  const extra: string[] = [];
  for (const l of splitLines(rerun)) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else extra.push(l);
  }
  return [...extra, ...[...count].flatMap(([l, n]) => Array<string>(n).fill(l))];
}

/** Rules that touch a line only one side has, or whose structure the step's kind or command declares. */
function candidates(step: Step, recorded: string, rerun: string): string[] {
  const lines = differingLines(recorded, rerun);
  const names = new Set<string>();
  // Rules keep lines, so one pass over the lines joined asks each rule about every line at once.
  const joined = lines.join('\n');
  for (const n of normalisers) if (!names.has(n.name) && n.apply(joined) !== joined) names.add(n.name);
  if (step.kind === 'curl' && lines.some((l) => /^[*<>] |\* (?:Connection|Closing)/.test(l))) names.add('CURL_INTERLEAVE');
  if (lines.some((l) => /"(?:version|pipelineVersion)"/.test(l))) names.add('VERSION');
  for (const p of producersOf(step.command)) names.add(p);
  return [...names];
}

/**
 * The verdict on `rerun` as a new recording of `step`'s output. A rule "fired" when switching it off alone makes
 * the outputs differ; when several rules each would do (none is needed alone), all that touched the texts are named.
 */
export function judgeRerun(step: Step, rerun: string, ctx: MatchContext): RerunVerdict {
  const recorded = step.expected?.text ?? '';
  if (normaliseLayout(recorded) === normaliseLayout(rerun)) return { verdict: 'same' };
  // An output that appeared or disappeared is a change, although `run` accepts anything where none was recorded.
  if (recorded.trim() === '' || rerun.trim() === '') {
    return { verdict: 'changed', result: { ok: false, expectedNormalised: recorded, actualNormalised: rerun, diff: textDiff(recorded, rerun), firstDifferingLine: 0 } };
  }
  const judged: Step = step.options.expect === 'ignore' ? { ...step, options: { ...step.options, expect: 'default' } } : step;
  const match = () => matchStep(judged, printed(rerun), ctx);
  const result = match();
  if (!result.ok) return { verdict: 'changed', result };
  const touched = candidates(step, recorded, rerun);
  // One candidate is the answer without asking; each asking runs the matcher again.
  const needed = touched.length <= 1 ? touched : touched.filter((name) => !withoutRules([name], match).ok);
  const shown = needed.length > 0 ? needed : touched.filter((n) => n !== 'CURL_INTERLEAVE' && n !== 'VERSION');
  return { verdict: 'volatile', rules: shown };
}
