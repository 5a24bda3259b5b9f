/**
 * Per-step options, written as `<!-- runbook: skip timeout=60s -->` in Markdown or as `runbook-skip`,
 * `runbook-timeout=60s` cell tags in a notebook. Both spellings go through `applyOption`.
 */
import type { StepOptions } from '../core/model.js';
import { excerpt } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';

type OptionKey = 'skip' | 'timeout' | 'expect' | 'retry-budget' | 'read-only' | 'strict-outcome';

const EXPECT_MODES = ['default', 'exact', 'contains', 'ignore'] as const;

/** What each key accepts, also used to word the error. */
const SYNTAX: Record<OptionKey, string> = {
  skip: 'skip',
  timeout: 'timeout=DURATION (e.g. 500ms, 60s, 5m)',
  expect: `expect=${EXPECT_MODES.join('|')}`,
  'retry-budget': 'retry-budget=DURATION (e.g. 30s, 2m)',
  'read-only': 'read-only',
  'strict-outcome': 'strict-outcome',
};

/** A bad option: `offset` is where in the token the problem starts (0 = the key, else the value). */
export class OptionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Adds one `key` or `key=value` token to `options`; throws OptionError saying what was expected. */
export function applyOption(options: StepOptions, token: string): void {
  const eq = token.indexOf('=');
  const key = eq === -1 ? token : token.slice(0, eq);
  const value = eq === -1 ? undefined : token.slice(eq + 1);
  if (!(key in SYNTAX)) {
    throw new OptionError(`unknown runbook option '${excerpt(key)}'; expected one of: ${Object.values(SYNTAX).join(', ')}`, 0);
  }
  const k = key as OptionKey;
  const flag = (set: () => void) => {
    if (value !== undefined) throw new OptionError(`'${k}' takes no value; write just '${k}'`, eq + 1);
    set();
  };
  const duration = (set: (ms: number) => void) => {
    const ms = value === undefined ? undefined : parseDuration(value);
    if (ms === undefined || ms <= 0) {
      const shown = value === undefined ? 'nothing' : `'${excerpt(value)}'`;
      throw new OptionError(`bad ${k}: ${shown}; expected ${SYNTAX[k]}`, value === undefined ? 0 : eq + 1);
    }
    set(ms);
  };
  switch (k) {
    case 'skip':
      return flag(() => (options.skip = true));
    case 'read-only':
      return flag(() => (options.readOnly = true));
    case 'strict-outcome':
      return flag(() => (options.strictOutcome = true));
    case 'timeout':
      return duration((ms) => (options.timeoutMs = ms));
    case 'retry-budget':
      return duration((ms) => (options.retryBudgetMs = ms));
    case 'expect': {
      const mode = EXPECT_MODES.find((m) => m === value);
      if (!mode) throw new OptionError(`bad expect: '${excerpt(value ?? '')}'; expected ${SYNTAX.expect}`, value === undefined ? 0 : eq + 1);
      options.expect = mode;
      return;
    }
  }
}

/** The tokens that give back `options` (for writing directives and tags), in a fixed order. */
export function optionTokens(options: StepOptions): string[] {
  const tokens: string[] = [];
  if (options.skip) tokens.push('skip');
  if (options.timeoutMs !== undefined) tokens.push(`timeout=${formatDuration(options.timeoutMs)}`);
  if (options.expect !== undefined) tokens.push(`expect=${options.expect}`);
  if (options.retryBudgetMs !== undefined) tokens.push(`retry-budget=${formatDuration(options.retryBudgetMs)}`);
  if (options.readOnly) tokens.push('read-only');
  if (options.strictOutcome) tokens.push('strict-outcome');
  return tokens;
}

/** The shortest exact spelling: `90s` stays `90s`, `120000` ms becomes `2m`. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
