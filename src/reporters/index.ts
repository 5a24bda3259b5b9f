/**
 * Turns `--reporter NAME[=FILE]` flags into reporters. The CLI decides once whether the terminal is
 * interactive and whether colour is allowed, and passes those facts here; nothing below looks at `process`.
 * ink (and react) are imported only when the ink reporter is chosen, so a `plain` run never loads them.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Reporter } from '../core/events.js';
import { decideInteractive } from '../ui/terminal.js';

export { decideColor, decideColumns, decideInteractive, detectCI } from '../ui/terminal.js';

export type ReporterName = 'ink' | 'plain' | 'json' | 'junit' | 'github';

export interface ReporterSpec {
  name: ReporterName;
  /** Absolute path for the file reporters. */
  file?: string;
}

/** How each reporter takes the `=FILE` part. */
const takesFile: Record<ReporterName, 'required' | 'none'> = {
  ink: 'none',
  plain: 'none',
  json: 'required',
  junit: 'required',
  github: 'none',
};

const isName = (name: string): name is ReporterName => Object.hasOwn(takesFile, name);

export interface ReporterEnv {
  isTTY: boolean;
  isCI: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  color: boolean;
  columns: number;
  cwd: string;
  /**
   * Variables the github reporter reads (GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE), and RUNBOOK_VERBOSE=1, which makes
   * the plain reporter print every step (see `verbose`); defaults to none.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The plain reporter prints a line as each step starts and ends, not only failures (default: RUNBOOK_VERBOSE). */
  verbose?: boolean;
}

export interface CreateOptions {
  /**
   * Add the default terminal reporter when no `ink` or `plain` spec is given (default true). Guided (`--step`)
   * runs pass false: they render through the workshop gate's own reporter.
   */
  defaults?: boolean;
}

/** Parses one `--reporter` value; relative files resolve against `cwd`. Throws InputError (exit 2). */
export function parseReporterSpec(spec: string, cwd: string): ReporterSpec {
  const eq = spec.indexOf('=');
  const name = (eq === -1 ? spec : spec.slice(0, eq)).trim();
  const file = eq === -1 ? undefined : spec.slice(eq + 1).trim();
  if (!isName(name)) {
    throw new InputError(`--reporter ${JSON.stringify(spec)}: unknown reporter ${JSON.stringify(name)}; expected one of ink, plain, json=FILE, junit=FILE, github`);
  }
  if (takesFile[name] === 'required' && !file) {
    throw new InputError(`--reporter ${JSON.stringify(spec)}: ${name} writes a file; expected ${name}=FILE`);
  }
  if (takesFile[name] === 'none' && file !== undefined) {
    throw new InputError(`--reporter ${JSON.stringify(spec)}: ${name} writes to the terminal and takes no file; expected ${name}`);
  }
  if (file === undefined) return { name };
  const absolute = path.resolve(cwd, file);
  const dir = path.dirname(absolute);
  // Said now, not after a ten-minute run whose report then cannot be written.
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new InputError(`--reporter ${JSON.stringify(spec)}: folder ${JSON.stringify(path.dirname(file) || '.')} does not exist`);
  return { name, file: absolute };
}

/**
 * The reporters for a run. Without an `ink` or `plain` spec the terminal still gets one: ink on an interactive
 * terminal (a TTY outside CI), plain otherwise; so `--reporter junit=out.xml` adds a file, it does not silence
 * the run.
 */
export async function createReporters(specs: readonly string[], env: ReporterEnv, options: CreateOptions = {}): Promise<Reporter[]> {
  const parsed = specs.map((spec) => parseReporterSpec(spec, env.cwd));
  const terminal = parsed.filter((p) => p.name === 'ink' || p.name === 'plain');
  if (terminal.length > 1) {
    throw new InputError(`--reporter: ${terminal.map((t) => t.name).join(' and ')} both draw on the terminal; choose one`);
  }
  if (terminal.length === 0 && options.defaults !== false) {
    parsed.unshift({ name: decideInteractive(env) ? 'ink' : 'plain' });
  }
  const reporters: Reporter[] = [];
  for (const spec of parsed) reporters.push(await create(spec, env));
  return reporters;
}

/** Reporters get events already redacted (the runner's fan-out), so none of them takes the secrets. */
async function create(spec: ReporterSpec, env: ReporterEnv): Promise<Reporter> {
  switch (spec.name) {
    case 'plain': {
      const { createPlainReporter } = await import('./plain.js');
      const flag = env.env?.RUNBOOK_VERBOSE;
      const verbose = env.verbose ?? (flag !== undefined && flag !== '' && flag !== '0' && flag.toLowerCase() !== 'false');
      return createPlainReporter({ out: env.stdout, color: env.color, verbose });
    }
    case 'ink': {
      const { createInkReporter } = await import('./ink/index.js');
      const { terminalReflows } = await import('./ink/reflow.js');
      return createInkReporter({ stdout: env.stdout, stderr: env.stderr, color: env.color, reflows: terminalReflows(env.env ?? {}) });
    }
    case 'json': {
      const { createJsonReporter } = await import('./json.js');
      return createJsonReporter(spec.file!);
    }
    case 'junit': {
      const { createJunitReporter } = await import('./junit.js');
      return createJunitReporter(spec.file!);
    }
    case 'github': {
      const { createGithubReporter } = await import('./github.js');
      return createGithubReporter({ stdout: env.stdout, env: env.env ?? {}, cwd: env.cwd });
    }
  }
}
