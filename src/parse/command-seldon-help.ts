/**
 * What cobra (v1.8, with pflag 1.0) prints for the `seldon` CLI's command table: a command's help, and the text of its
 * usage errors. Each function follows one cobra or pflag rule, named in its comment.
 */
import { nameOf, type SeldonCommandDef, type SeldonFlag } from './command-seldon-table.js';

/** The variables the CLI reads its defaults from (SELDON_SCHEDULE_HOST, …). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A command with the commands above it, root first: what cobra reaches through `parent`. */
export type CommandPath = readonly SeldonCommandDef[];

/** cobra's InitDefaultHelpFlag: `-h, --help`, "help for NAME", added to every command before it parses. */
export function helpFlag(cmd: SeldonCommandDef): SeldonFlag {
  return { key: 'help', name: 'help', short: 'h', type: 'bool', default: 'false', usage: `help for ${nameOf(cmd)}` };
}

/** Every flag the command parses: its own and the help flag (the root defines no persistent ones). */
export function localFlags(cmd: SeldonCommandDef): SeldonFlag[] {
  return [...cmd.flags, helpFlag(cmd)];
}

/** `CommandPath()`: the names from the root down, space-separated. */
export function commandPath(path: CommandPath): string {
  return path.map(nameOf).join(' ');
}

/** `IsAvailableCommand()`: not cobra's help command, and runnable or with available subcommands. */
export function isAvailable(cmd: SeldonCommandDef): boolean {
  if (cmd.use.startsWith('help ')) return false;
  return cmd.runnable || cmd.children.some(isAvailable);
}

/** pflag's `DefValue` as the CLI sets it when it starts: an `env.GetString` default reads the variable. */
function defaultOf(flag: SeldonFlag, env: Env): string {
  return flag.env !== undefined && env[flag.env] !== undefined ? env[flag.env]! : flag.default;
}

/** pflag's `defaultIsZeroValue`, for the types the CLI uses. */
function isZero(flag: SeldonFlag, value: string): boolean {
  switch (flag.type) {
    case 'bool':
      return value === 'false';
    case 'int':
    case 'int64':
      return value === '0';
    case 'string':
      return value === '';
    case 'stringArray':
      return value === '[]';
  }
}

/** Go's `%q` for the printable ASCII these defaults hold. */
function goQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * pflag's `FlagUsages`: one line per flag sorted by name, `  -x, --name type` (or six spaces before `--name`), the
 * usage starting three spaces after the longest such head, then ` (default …)` unless the default is the zero value.
 * `UnquoteUsage` names the value: nothing for a bool, `int` for int64, the type name otherwise.
 */
export function flagUsages(flags: readonly SeldonFlag[], env: Env): string {
  const sorted = [...flags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows = sorted.map((flag) => {
    let head = flag.short ? `  -${flag.short}, --${flag.name}` : `      --${flag.name}`;
    const word = flag.type === 'bool' ? '' : flag.type === 'int64' ? 'int' : flag.type;
    if (word) head += ` ${word}`;
    const value = defaultOf(flag, env);
    const tail = isZero(flag, value) ? '' : ` (default ${flag.type === 'string' ? goQuote(value) : value})`;
    return { head, text: flag.usage + tail };
  });
  // pflag measures each head with a marker character after it, then prints head, the padding and the usage with
  // Println's spaces between: the longest head gets three spaces.
  const width = Math.max(...rows.map((r) => r.head.length + 1));
  return rows.map((r) => `${r.head} ${' '.repeat(width - r.head.length)} ${r.text}\n`).join('');
}

/** `UseLine()`: the parent's path and `Use`, with ` [flags]` since every command has at least `--help`. */
function useLine(path: CommandPath): string {
  const cmd = path.at(-1)!;
  const line = path.length > 1 ? `${commandPath(path.slice(0, -1))} ${cmd.use}` : cmd.use;
  return line.includes('[flags]') ? line : `${line} [flags]`;
}

/** cobra's `NamePadding`: the longest name among the parent's commands, at least 11. */
function namePadding(siblings: readonly SeldonCommandDef[]): number {
  return Math.max(11, ...siblings.map((c) => nameOf(c).length));
}

/**
 * cobra's default usage template (no aliases, examples, groups or persistent flags in this CLI): `Usage:` with the
 * use line if runnable and `PATH [command]` if it has subcommands, `Available Commands:` sorted by name (cobra's help
 * command included), `Flags:`, and the `Use "PATH [command] --help"` line.
 */
export function usageString(path: CommandPath, env: Env): string {
  const cmd = path.at(-1)!;
  const where = commandPath(path);
  const hasSubcommands = cmd.children.some(isAvailable);
  let out = 'Usage:';
  if (cmd.runnable) out += `\n  ${useLine(path)}`;
  if (hasSubcommands) out += `\n  ${where} [command]`;
  if (hasSubcommands) {
    out += '\n\nAvailable Commands:';
    const pad = namePadding(cmd.children);
    const shown = cmd.children.filter((c) => isAvailable(c) || nameOf(c) === 'help');
    for (const child of [...shown].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) out += `\n  ${nameOf(child).padEnd(pad)} ${child.short}`;
  }
  out += `\n\nFlags:\n${flagUsages(localFlags(cmd), env).trimEnd()}`;
  if (hasSubcommands) out += `\n\nUse "${where} [command] --help" for more information about a command.`;
  return `${out}\n`;
}

/** cobra's default help template: `Long` (or `Short`) trimmed and a blank line, then the usage when it has any. */
export function helpText(path: CommandPath, env: Env): string {
  const cmd = path.at(-1)!;
  const head = (cmd.long || cmd.short).trimEnd();
  const usage = cmd.runnable || cmd.children.length > 0 ? usageString(path, env) : '';
  return `${head ? `${head}\n\n` : ''}${usage}`;
}

/** cobra's `ld`: Levenshtein distance, case-insensitive as SuggestionsFor asks. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let row = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const next = [i];
    for (let j = 1; j <= t.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    row = next;
  }
  return row[t.length]!;
}

/**
 * cobra's `findSuggestions`: the available subcommands (in the order they were added) within Levenshtein distance 2
 * of the typed word, or that start with it, as `\n\nDid you mean this?\n\tNAME\n`.
 */
export function suggestions(parent: SeldonCommandDef, typed: string): string {
  const names = parent.children
    .filter(isAvailable)
    .map(nameOf)
    .filter((name) => distance(typed, name) <= 2 || name.toLowerCase().startsWith(typed.toLowerCase()));
  return names.length > 0 ? `\n\nDid you mean this?\n${names.map((n) => `\t${n}\n`).join('')}` : '';
}
