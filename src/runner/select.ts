/**
 * `--only`, `--from` and `--until` pick steps by index (`3`), range (`3-5`), or heading text (case-insensitive substring).
 * Then the steps that define a variable the picked steps use (captures) are pulled in, so `--from "Traffic Split"`
 * still has `INGRESS_IP`.
 */
import { InputError } from '../core/errors.js';
import type { Plan, Step } from '../core/model.js';

export interface Selection {
  only?: string;
  from?: string;
  until?: string;
}

/**
 * Returns the indices of the selected steps; throws InputError when a selector matches nothing, or when the
 * selectors together leave no step (`--only 3 --from 5`): a run that checks nothing must not pass.
 */
export function selectSteps(steps: readonly Step[], selection: Selection): Set<number> {
  let chosen = steps.map((s) => s.index);
  const picked: string[] = [];
  if (selection.only !== undefined) {
    const wanted = resolve(steps, selection.only, '--only');
    picked.push(`--only ${selection.only} picks ${describe(wanted)}`);
    chosen = chosen.filter((i) => wanted.includes(i));
  }
  if (selection.from !== undefined) {
    const first = Math.min(...resolve(steps, selection.from, '--from'));
    picked.push(`--from ${selection.from} starts at step ${first}`);
    chosen = chosen.filter((i) => i >= first);
  }
  if (selection.until !== undefined) {
    const last = Math.max(...resolve(steps, selection.until, '--until'));
    picked.push(`--until ${selection.until} ends at step ${last}`);
    chosen = chosen.filter((i) => i <= last);
  }
  if (chosen.length === 0 && picked.length > 0) {
    throw new InputError(`${steps[0]?.file ?? 'runbook'}: the selection leaves no step to run (${picked.join('; ')}); nothing was run`);
  }
  return new Set(chosen);
}

function describe(indices: readonly number[]): string {
  const lo = Math.min(...indices);
  const hi = Math.max(...indices);
  return indices.length === 1 ? `step ${lo}` : indices.length === hi - lo + 1 ? `steps ${lo}-${hi}` : `steps ${indices.join(', ')}`;
}

function resolve(steps: readonly Step[], selector: string, flag: string): number[] {
  const range = /^(\d+)(?:-(\d+))?$/.exec(selector.trim());
  if (range) {
    const lo = Number(range[1]);
    const hi = range[2] === undefined ? lo : Number(range[2]);
    const found = steps.filter((s) => s.index >= lo && s.index <= hi).map((s) => s.index);
    if (found.length > 0) return found;
    throw new InputError(`${flag} ${selector}: no step with that index (steps are numbered 0 to ${steps.length - 1})`);
  }
  const needle = selector.toLowerCase();
  const found = steps.filter((s) => s.heading?.toLowerCase().includes(needle)).map((s) => s.index);
  if (found.length > 0) return found;
  const headings = [...new Set(steps.map((s) => s.heading).filter(Boolean))];
  throw new InputError(
    `${flag} ${JSON.stringify(selector)}: no step index, range (3-5) or heading matches; headings are: ${headings.map((h) => JSON.stringify(h)).join(', ') || 'none'}`,
  );
}

/** `${VAR}` and `$VAR`, as substitution (src/core/vars.ts) and the shell read them. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The variables a step's command mentions (over-approximate: a `$X` in single quotes counts too). */
export function referencedVariables(step: Step): Set<string> {
  const names = new Set<string>();
  for (const m of step.command.matchAll(REFERENCE)) names.add(m[1] ?? m[2] ?? '');
  names.delete('');
  return names;
}

/** The variable a step defines for the steps after it (captures only). */
function definedVariable(step: Step): string | undefined {
  return step.kind === 'capture' ? step.args.variable : undefined;
}

/**
 * The steps, outside `selected`, that define a variable a selected step (or a step pulled in for one) uses, with why:
 * `runs because step 9 uses INGRESS_IP`. A variable the run is given (`known`: environment, front matter, --set)
 * pulls nothing in; for the rest, the closest earlier step that defines it runs, and so on transitively.
 */
export function dependencies(steps: readonly Step[], selected: ReadonlySet<number>, known: (name: string) => boolean): Map<number, string> {
  const pulled = new Map<number, string>();
  const queue = steps.filter((s) => selected.has(s.index));
  for (let step = queue.shift(); step; step = queue.shift()) {
    for (const name of referencedVariables(step)) {
      if (known(name)) continue;
      const definer = steps.filter((s) => s.index < step.index && definedVariable(s) === name).at(-1);
      if (!definer || selected.has(definer.index) || pulled.has(definer.index)) continue;
      pulled.set(definer.index, `runs because step ${step.index} uses ${name}`);
      queue.push(definer);
    }
  }
  return pulled;
}

/**
 * What one runbook runs: the steps the selectors pick, plus the ones they depend on. A variable given by the
 * environment, the front matter's `env:` or `--set` needs no step.
 */
export function planSelection(
  plan: Plan,
  options: Selection & { set: Readonly<Record<string, string>> },
  env: NodeJS.ProcessEnv,
): { selected: Set<number>; pulledIn: Map<number, string> } {
  const picked = selectSteps(plan.steps, options);
  const known = (name: string) => env[name] !== undefined || Object.hasOwn(plan.frontMatter.env ?? {}, name) || Object.hasOwn(options.set, name);
  const pulledIn = dependencies(plan.steps, picked, known);
  return { selected: new Set([...picked, ...pulledIn.keys()]), pulledIn };
}
