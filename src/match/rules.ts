/**
 * Which tolerance rules are on. Every rule is on while runbooks run; `runbook compare` switches rules off one at
 * a time, to tell which of them a volatile-only difference needed (the rules that "fired").
 */

let off: ReadonlySet<string> = new Set();
let key = '';

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
  const beforeKey = key;
  off = new Set([...before, ...names]);
  key = [...off].sort().join(',');
  try {
    return fn();
  } finally {
    off = before;
    key = beforeKey;
  }
}

/** Names the rules switched off; empty when all are on. Results computed under one key hold under it. */
export function rulesKey(): string {
  return key;
}
