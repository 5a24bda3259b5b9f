/**
 * Which tolerance rules are on. Every rule is on while runbooks run; `runbook compare` switches rules off one at
 * a time, to tell which of them a volatile-only difference needed (the rules that "fired").
 */

let off: ReadonlySet<string> = new Set();

/** True unless a caller of `withoutRules` switched the named rule off. */
export function ruleOn(name: string): boolean {
  return off.size === 0 || !off.has(name);
}

/**
 * Runs `fn` with the named rules off, and switches them back on when it returns or throws. Matching is
 * synchronous, so nothing else can observe the switch.
 */
export function withoutRules<T>(names: Iterable<string>, fn: () => T): T {
  const before = off;
  off = new Set([...before, ...names]);
  try {
    return fn();
  } finally {
    off = before;
  }
}
