/** `${VAR}` substitution of a seldon step's arguments: every string of the command and the hosts. */
import type { SeldonArgs } from '../../src/core/model.js';
import { substitute } from '../../src/core/vars.js';

type Vars = Readonly<Record<string, string>>;

/** Substitutes each string value of a plain object (the verb and resource never hold a `$`). */
function strings<T extends object>(value: T, vars: Vars): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = typeof v === 'string' ? substitute(v, vars) : Array.isArray(v) ? v.map((x: unknown) => (typeof x === 'string' ? substitute(x, vars) : x)) : v;
  }
  return out as T;
}

export function seldonWithVars(args: SeldonArgs, vars: Vars): SeldonArgs {
  return { ...args, command: strings(args.command, vars), hosts: strings(args.hosts, vars) };
}
