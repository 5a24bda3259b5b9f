/**
 * A cell is the unit of comparison (issue 17). A cell of several steps (several `!` lines, Python around a `!curl`,
 * a ```sh fence of commands with one ```output) holds one recording, on its last step, and each of its steps runs as
 * its own typed step. Decided when the cell's first step is about to run:
 * - `split`: the recording can be cut by command with certainty, so each step is compared with its own part (and a
 *   failure names the command and the recorded line that differs);
 * - `whole`: otherwise the steps before the last are judged by their exit status, and the last compares the cell's
 *   recording with what all of them printed, joined as the notebook showed it.
 */
import type { Expected, Plan, Step } from '../core/model.js';
import type { StepOutput } from '../core/step.js';
import { matchStep, recordedForm, type MatchContext, type MatchResult } from '../match/index.js';

export type CellComparison =
  /** Each step of the cell gets its own part of the recording. */
  | { type: 'split'; parts: Map<number, Expected> }
  /** The last step compares the recording with the cell's joined output. */
  | { type: 'whole'; steps: readonly Step[]; expected: Expected };

/** How the cell starting at `step` is compared; undefined for a one-step cell or a cell with no recording to compare. */
export function cellComparison(plan: Plan, step: Step): CellComparison | undefined {
  const cell = step.cell;
  if (!cell || cell.first !== step.index || cell.last === cell.first) return undefined;
  const steps = plan.steps.slice(cell.first, cell.last + 1);
  const last = steps.at(-1);
  if (!last?.expected || last.options.expect === 'ignore' || steps.some((s) => s.expected && s !== last)) return undefined;
  const parts = last.options.expect === undefined || last.options.expect === 'default' ? splitRecording(last.expected, steps) : undefined;
  return parts ? { type: 'split', parts } : { type: 'whole', steps, expected: last.expected };
}

/** The step as the runner runs it within its cell: with its own part of the recording, or none. */
export function stepInCell(step: Step, comparison: CellComparison | undefined): Step {
  if (!comparison) return step;
  if (comparison.type === 'split') {
    const part = comparison.parts.get(step.index);
    return { ...step, expected: part };
  }
  return step === comparison.steps.at(-1) ? step : ({ ...step, expected: undefined });
}

/**
 * The cell's joined output: each step's recorded form, in order, one after the other on new lines, as a notebook
 * shows the output of consecutive commands.
 */
export function joinedOutput(steps: readonly Step[], outputs: readonly (StepOutput | undefined)[]): string {
  return steps
    .map((s, i) => {
      const output = outputs[i];
      return output ? recordedForm(s, output) : '';
    })
    .filter((text) => text !== '')
    .join('\n');
}

/**
 * Compares a whole cell: first each step with as many recorded lines as it printed, by its own kind's matcher (so
 * an apply's `created`/`unchanged` and a JSON body's key order are judged as for a one-step cell), else the joined
 * output as text.
 */
export function compareCell(comparison: Extract<CellComparison, { type: 'whole' }>, outputs: readonly (StepOutput | undefined)[], match: MatchContext): MatchResult {
  const { steps, expected } = comparison;
  const lines = expected.text.split('\n');
  let at = 0;
  let byStep = true;
  for (const [i, step] of steps.entries()) {
    const output = outputs[i];
    const shown = output ? recordedForm(step, output) : '';
    if (shown === '') continue;
    const n = shown.split('\n').length;
    if (!output || at + n > lines.length) {
      byStep = false;
      break;
    }
    const part = { ...step, expected: { text: lines.slice(at, at + n).join('\n'), location: expected.location } } as Step;
    if (!matchStep(part, output, match).ok) {
      byStep = false;
      break;
    }
    at += n;
  }
  const joined = joinedOutput(steps, outputs);
  if (byStep && at === lines.length) return { ok: true, expectedNormalised: expected.text, actualNormalised: joined };
  return matchStep(asText(steps.at(-1)!, expected), { stdout: joined, stderr: '', exitCode: 0 }, match);
}

/** A shell step holding the cell's recording: the matcher for text with the runbook's patterns and normalisers. */
function asText(last: Step, expected: Expected): Step {
  return { ...last, kind: 'shell', args: { script: last.command }, expected };
}

interface Unit {
  first: number;
  last: number;
  json: boolean;
}

/** Where a recording splits into units: one JSON document (over any number of lines) or one line of text. */
function units(text: string): Unit[] {
  const lines = text.split('\n');
  const out: Unit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (/^[{[]/.test(line)) {
      const end = jsonEnd(lines, i);
      if (end !== undefined) {
        out.push({ first: i, last: end, json: true });
        i = end;
        continue;
      }
    }
    out.push({ first: i, last: i, json: false });
  }
  return out;
}

/** The last line of a JSON document starting at line `start`, when one does; pretty-printed documents end on a line `}` or `]`. */
function jsonEnd(lines: readonly string[], start: number): number | undefined {
  const limit = Math.min(lines.length, start + 5_000);
  for (let end = start; end < limit; end++) {
    const line = lines[end]!;
    if (end > start && !/^[}\]]/.test(line)) continue;
    try {
      JSON.parse(lines.slice(start, end + 1).join('\n'));
      return end;
    } catch {
      // Not yet the end of it.
    }
  }
  return undefined;
}

const KUBE_LINE = /^[\w.-]+(\/[\w.-]+| "[\w.-]+") \w/;

/**
 * Whether a unit is what the step prints, for a step that always prints at least one unit. With as many units as
 * steps, each of which prints at least one, each printed exactly one: the split is certain.
 */
function fits(step: Step, unit: Unit, lines: readonly string[]): boolean {
  const text = lines[unit.first]!;
  switch (step.kind) {
    case 'apply':
    case 'wait':
      return !unit.json && KUBE_LINE.test(text);
    case 'delete':
      return !step.args.ignoreNotFound && !unit.json && KUBE_LINE.test(text);
    case 'curl':
    case 'grpcurl':
    case 'seldon':
      return unit.json;
    case 'capture':
      return step.args.displayed && !unit.json;
    case 'writefile':
      return !unit.json && /^(Writing|Overwriting|Appending to) /.test(text);
    case 'env':
      return !unit.json && text.startsWith('env: ');
    case 'build':
    case 'shell':
    case 'python':
      // They may print anything, or nothing.
      return false;
  }
}

/** Each step's part of the recording, when the recording splits by command with certainty. */
export function splitRecording(expected: Expected, steps: readonly Step[]): Map<number, Expected> | undefined {
  const lines = expected.text.split('\n');
  const found = units(expected.text);
  if (found.length !== steps.length) return undefined;
  const parts = new Map<number, Expected>();
  for (const [i, step] of steps.entries()) {
    const unit = found[i]!;
    if (!fits(step, unit, lines)) return undefined;
    const location = expected.location.format === 'markdown' ? { ...expected.location, startLine: expected.location.startLine + unit.first, endLine: expected.location.startLine + unit.last } : expected.location;
    parts.set(step.index, { text: lines.slice(unit.first, unit.last + 1).join('\n'), location });
  }
  return parts;
}
