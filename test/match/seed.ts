/** The seed runbook as a plan, and step outputs simulated from its recorded text. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseRunbook } from '../../src/parse/index.js';
import type { Plan, Step } from '../../src/core/model.js';
import type { StepOutput } from '../../src/core/step.js';
import { splitsFromManifests } from '../../src/match/index.js';
import type { MatchContext } from '../../src/match/index.js';

export const seedPath = fileURLToPath(new URL('./fixtures/istio.md', import.meta.url));
export const seedText = readFileSync(seedPath, 'utf8');

export function seedPlan(): Plan {
  return parseRunbook('istio.md', seedText);
}

export function step(index: number): Step {
  return seedPlan().steps[index]!;
}

/** What a step would print if the system behaved as `text` shows (curl: transcript on stderr, body on stdout). */
export function outputFor(s: Step, text: string): StepOutput {
  if (s.kind === 'curl') {
    const lines = text.split('\n');
    const transcript = lines.filter((l) => /^[*<>](?: |$)/.test(l));
    const body = lines.filter((l) => !/^[*<>](?: |$)/.test(l));
    return { stdout: body.join('\n'), stderr: transcript.map((l) => `${l}\n`).join(''), exitCode: 0 };
  }
  if (s.kind === 'capture') {
    const value = text.replace(/^'|'$/g, '');
    return { stdout: '', stderr: '', exitCode: 0, data: { type: 'value', variable: s.args.variable, value } };
  }
  return { stdout: `${text}\n`, stderr: '', exitCode: 0 };
}

/** The run's knowledge after the traffic-split apply: the VirtualService of the traffic-split build. */
export function splitContext(): MatchContext {
  const build = seedPlan().steps[7]!;
  const objects = parseAllDocuments(build.expected!.text).map((d) => d.toJS() as unknown);
  return { splits: splitsFromManifests(objects) };
}

export const noSplits: MatchContext = { splits: [] };

/** The recorded text with one substring replaced; fails loudly when the substring is not there. */
export function changed(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${String(from)} not found`);
  return next;
}

const location = { format: 'markdown', startLine: 1, endLine: 1, style: 'fence', indent: '' } as const;

/** A step of the seed plan's first `kind` recording `recorded`; a shell step runs `command`. */
export function stepOf(kind: Step['kind'], recorded: string, command = 'true'): Step {
  const plan = seedPlan();
  const base = kind === 'shell' ? { ...plan.steps[0]!, kind: 'shell' as const, args: { script: command } } : plan.steps.find((s) => s.kind === kind)!;
  return { ...base, command, options: {}, expected: { text: recorded, location } };
}
