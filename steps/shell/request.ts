/**
 * A step as a request to the long-lived shell (server-script.ts), or why it must be spawned the old way instead.
 * The request carries the step's environment as changes against the environment the server started with, so a
 * step sees exactly what `spawn('bash', …, { env })` would have given it.
 */

/** Names bash reads at start-up or treats specially: a change to one of them would not act in a forked subshell as it does in a new bash. */
const SPECIAL = new Set([
  'SHLVL', 'IFS', 'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'POSIXLY_CORRECT', 'BASH_XTRACEFD', 'PS4', 'BASH_COMPAT',
  'GLOBIGNORE', 'CDPATH', 'EXECIGNORE', 'FUNCNEST', 'TMOUT', 'BASH_LOADABLES_PATH', 'BASHPID', 'BASH_SUBSHELL',
  'SECONDS', 'RANDOM', 'SRANDOM', 'LINENO', 'EPOCHSECONDS', 'EPOCHREALTIME', 'UID', 'EUID', 'PPID', 'BASH_VERSINFO',
  'BASH_ARGV0', 'BASH_EXECUTION_STRING', 'HOSTNAME', 'OPTIND', 'OPTERR', '_',
]);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * `$$` is the server's pid in every forked subshell (bash sets it once, at start), and BASH_SUBSHELL counts one
 * level more; a script that reads either is spawned so that it sees its own shell's values, as before.
 */
const READS_SHELL_IDENTITY = /\$\$|\$\{\$|BASH_SUBSHELL/;

export type Plan = { type: 'server'; fields: string[] } | { type: 'spawn'; why: string };

/**
 * Plans one step against a server started with `baseEnv`. Field order is the server's (server-script.ts): cwd,
 * script, the PWD to keep, OLDPWD, then changes.
 */
export function planRequest(script: string, cwd: string, env: NodeJS.ProcessEnv, baseEnv: NodeJS.ProcessEnv): Plan {
  if (READS_SHELL_IDENTITY.test(script)) return { type: 'spawn', why: 'the script reads $$ or BASH_SUBSHELL' };
  if ([script, cwd].some((s) => s.includes('\0'))) return { type: 'spawn', why: 'a NUL byte' };
  const changes: string[] = [];
  for (const name of new Set([...Object.keys(env), ...Object.keys(baseEnv)])) {
    if (name === 'PWD' || name === 'OLDPWD') continue;
    const value = env[name];
    if (value === baseEnv[name]) continue;
    if (!IDENTIFIER.test(name) || SPECIAL.has(name)) return { type: 'spawn', why: `the environment changes ${name}` };
    if (value?.includes('\0')) return { type: 'spawn', why: 'a NUL byte' };
    changes.push(value === undefined ? `-${name}` : `+${name}=${value}`);
  }
  const oldpwd = env.OLDPWD === undefined ? '-' : `+${env.OLDPWD}`;
  return { type: 'server', fields: [cwd, script, env.PWD ?? '', oldpwd, ...changes] };
}

/** The request file's bytes: every field followed by a NUL, as `mapfile -d ''` reads them. */
export function encodeRequest(fields: readonly string[]): Buffer {
  return Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
}
