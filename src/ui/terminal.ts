/**
 * Terminal decisions made once, at the edge (the CLI), and passed down: reporters never look at
 * process.stdout or the environment themselves.
 */

/** What the decisions are made from; the CLI fills it from `process`, tests from literals. */
export interface TerminalFacts {
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** True on a CI system (the `CI` variable and the usual vendor markers), where nothing is interactive. */
export function detectCI(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI;
  if (ci !== undefined) return ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return ['CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'TF_BUILD', 'JENKINS_URL'].some(
    (name) => env[name] !== undefined && env[name] !== '',
  );
}

/** A live, redrawing UI only where a person watches a terminal: a TTY outside CI. */
export function decideInteractive(facts: { isTTY: boolean; isCI: boolean }): boolean {
  return facts.isTTY && !facts.isCI;
}

/**
 * Colour only on a TTY whose TERM is not `dumb`; NO_COLOR (non-empty) turns it off; FORCE_COLOR turns it on
 * anywhere and wins over NO_COLOR, except FORCE_COLOR=0 (or `false`), which turns it off.
 */
export function decideColor(facts: TerminalFacts): boolean {
  const force = facts.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = facts.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return facts.isTTY && facts.env.TERM !== 'dumb';
}

/** Columns to lay out for: the terminal's width, or 80 when there is none (a pipe, a file, CI logs). */
export function decideColumns(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : 80;
}
