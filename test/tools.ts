/**
 * Guards for tests that need a real tool: the exact output of /usr/bin/curl 7.88, kubectl 1.32 against the
 * sandbox, `script` for a pseudo-terminal. Without the tool the tests are skipped, with the reason in their name
 * (`… [skipped: needs kubectl 1.32, not installed]`); with RUNBOOK_REQUIRE_TOOLS=1 (CI) a missing tool fails
 * the file instead, so nothing is skipped silently there.
 *
 *     needs('kubectl 1.32').describe('kubectl against the sandbox', () => { … });
 *     needs('script', '/usr/bin/curl 7.88').it('prints what curl prints on a terminal', async () => { … });
 */
import { describe, it } from 'vitest';
import { toolsRequired, unmet, type Need } from './setup/find-tools.js';

export { toolsRequired, unmet, type Need } from './setup/find-tools.js';

/**
 * `describe`, `it` and `test` that run when every need is met. Otherwise they are skipped with the reason
 * appended to their name, or, under RUNBOOK_REQUIRE_TOOLS=1, the test file fails while it is collected.
 */
export function needs(...list: Need[]): { describe: typeof describe; it: typeof it; test: typeof it } {
  const reason = unmet(list);
  if (reason === undefined) return { describe, it, test: it };
  if (toolsRequired()) throw new Error(`RUNBOOK_REQUIRE_TOOLS is set and a test ${reason} (install it, or unset RUNBOOK_REQUIRE_TOOLS to skip)`);
  const label = (name: unknown) => `${String(name)} [skipped: ${reason}]`;
  return { describe: relabelled(describe.skip, label) as typeof describe, it: relabelled(it.skip, label) as typeof it, test: relabelled(it.skip, label) as typeof it };
}

type Register = (name: unknown, ...rest: unknown[]) => unknown;

/** A skipped `describe`/`it` (and its `.each`) that appends the reason to every name it registers. */
function relabelled(skip: typeof it.skip | typeof describe.skip, label: (name: unknown) => string): unknown {
  const register = skip as unknown as Register & { each: (cases: unknown) => Register };
  const guarded: Register & { each?: unknown } = (name, ...rest) => register(label(name), ...rest);
  guarded.each = (cases: unknown): Register => (name, ...rest) => register.each(cases)(label(name), ...rest);
  return guarded;
}
