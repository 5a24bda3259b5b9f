/**
 * How cobra (v1.8) and pflag route `seldon …` before any RunE: `Find` walks the command tree, the found command
 * parses its flags, asks for help or checks its arguments. The outcome is the command to run with its words, the help
 * to print, or the usage error the CLI prints (cobra's `Error: …` lines), each rule named where it is followed.
 */
import { Fallback } from './fallback.js';
import { commandPath, helpText, localFlags, suggestions, usageString, type CommandPath, type Env } from './command-seldon-help.js';
import { nameOf, SELDON_ROOT, type SeldonCommandDef, type SeldonFlag } from './command-seldon-table.js';

/**
 * The exit status of a failed `seldon` command. The Go main calls `os.Exit(-1)` (255 on Linux); the seldon step
 * has always exited 1 with `Error: …`, and usage errors keep to that so a step fails one way whatever the cause.
 */
export const SELDON_FAILURE_EXIT = 1;

/**
 * What the CLI prints and its status when cobra refuses the command line. It is a Fallback too: in a runbook such a
 * command runs in the shell (issue 14's rule), and only `runbook seldon` prints the CLI's own words.
 */
export class SeldonUsageError extends Fallback {
  constructor(
    note: string,
    readonly stderr: string,
    readonly exitCode: number = SELDON_FAILURE_EXIT,
  ) {
    super(note);
  }
}

export type Routed =
  | { type: 'help'; path: CommandPath; text: string }
  | { type: 'run'; path: CommandPath; words: string[] };

/** pflag's `NoOptDefVal` test as cobra's stripFlags uses it: only a known bool takes no value. */
function takesNoValue(flags: readonly SeldonFlag[], name: string, short: boolean): boolean {
  const flag = flags.find((f) => (short ? f.short === name : f.name === name));
  return flag?.type === 'bool';
}

/**
 * cobra's `stripFlags`: the words that are not flags, skipping the value after `--name` or `-x` unless the flag is a
 * known bool (an unknown flag is taken to have a value), and stopping at `--`.
 */
function stripFlags(words: readonly string[], cmd: SeldonCommandDef): string[] {
  const flags = localFlags(cmd);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') break;
    const long = w.startsWith('--') && !w.includes('=') && !takesNoValue(flags, w.slice(2), false);
    const short = !w.startsWith('--') && w.startsWith('-') && !w.includes('=') && w.length === 2 && !takesNoValue(flags, w.slice(1), true);
    if (long || short) {
      if (words.length - i - 1 <= 1) break;
      i++;
    } else if (w !== '' && !w.startsWith('-')) out.push(w);
  }
  return out;
}

/** cobra's `Find`: descend while the first non-flag word names a subcommand, dropping that word. */
function find(words: readonly string[]): { path: SeldonCommandDef[]; rest: string[] } {
  const path = [SELDON_ROOT];
  let rest = [...words];
  for (;;) {
    const cmd = path.at(-1)!;
    const next = stripFlags(rest, cmd)[0];
    const child = next === undefined ? undefined : cmd.children.find((c) => nameOf(c) === next);
    if (!child) return { path, rest };
    rest.splice(rest.indexOf(next!), 1);
    path.push(child);
    rest = [...rest];
  }
}

/** pflag's `strconv` checks for the values it parses: `Set` fails with Go's error text. */
function badValue(flag: SeldonFlag, value: string): string | undefined {
  const name = flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
  const fail = (fn: string) => `invalid argument ${JSON.stringify(value)} for ${JSON.stringify(name)} flag: strconv.${fn}: parsing ${JSON.stringify(value)}: invalid syntax`;
  if ((flag.type === 'int' || flag.type === 'int64') && !/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/.test(value)) return fail('ParseInt');
  if (flag.type === 'bool' && !['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return fail('ParseBool');
  return undefined;
}

interface Parsed {
  help: boolean;
  positionals: string[];
  given: Set<string>;
}

/**
 * pflag's `parseArgs` with cobra's flag set: flags anywhere, `--` ends them, `--name=v`, `--name v`, `-x v`, `-xv`,
 * `-x=v`, clustered bools. The first problem is the error, in pflag's words.
 */
function parseFlags(words: readonly string[], flags: readonly SeldonFlag[]): Parsed | string {
  const out: Parsed = { help: false, positionals: [], given: new Set() };
  const set = (flag: SeldonFlag, value: string): string | undefined => {
    const bad = badValue(flag, value);
    if (bad) return bad;
    out.given.add(flag.name);
    if (flag.name === 'help') out.help = value !== 'false' && value !== '0' && value.toLowerCase() !== 'f';
    return undefined;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length < 2 || !w.startsWith('-')) {
      out.positionals.push(w);
      continue;
    }
    if (w === '--') {
      out.positionals.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--')) {
      const body = w.slice(2);
      if (body.startsWith('-') || body.startsWith('=')) return `bad flag syntax: ${w}`;
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const flag = flags.find((f) => f.name === name);
      if (!flag) return `unknown flag: --${name}`;
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (flag.type === 'bool') value = 'true';
      else if (i + 1 < words.length) value = words[++i]!;
      else return `flag needs an argument: ${w}`;
      const bad = set(flag, value);
      if (bad) return bad;
      continue;
    }
    for (let shorts = w.slice(1); shorts.length > 0; ) {
      const c = shorts[0]!;
      const flag = flags.find((f) => f.short === c);
      if (!flag) return `unknown shorthand flag: '${c}' in -${shorts}`;
      let value: string;
      let after = shorts.slice(1);
      if (shorts.length > 2 && shorts[1] === '=') [value, after] = [shorts.slice(2), ''];
      else if (flag.type === 'bool') value = 'true';
      else if (shorts.length > 1) [value, after] = [shorts.slice(1), ''];
      else if (i + 1 < words.length) value = words[++i]!;
      else return `flag needs an argument: '${c}' in -${shorts}`;
      const bad = set(flag, value);
      if (bad) return bad;
      shorts = after;
    }
  }
  return out;
}

/** cobra's argument validators (ExactArgs, MinimumNArgs, NoArgs) in their own words. */
function argsError(path: CommandPath, positionals: readonly string[]): string | undefined {
  const rule = path.at(-1)!.args;
  const n = positionals.length;
  if (rule.type === 'exact' && n !== rule.n) return `accepts ${rule.n} arg(s), received ${n}`;
  if (rule.type === 'min' && n < rule.n) return `requires at least ${rule.n} arg(s), only received ${n}`;
  if (rule.type === 'none' && n > 0) return `unknown command ${JSON.stringify(positionals[0])} for ${JSON.stringify(commandPath(path))}`;
  return undefined;
}

/** cobra's `ValidateRequiredFlags`: the names, sorted, in one message. */
function requiredError(cmd: SeldonCommandDef, given: ReadonlySet<string>): string | undefined {
  const missing = cmd.flags.filter((f) => f.required && !given.has(f.name)).map((f) => f.name).sort();
  return missing.length > 0 ? `required flag(s) "${missing.join('", "')}" not set` : undefined;
}

/**
 * `Error: MESSAGE`, as ExecuteC prints a failed execute (the root's SilenceUsage keeps the usage out). The note says
 * what `runbook list` shows for the shell step that runs such a command.
 */
function failed(path: CommandPath, message: string, positionals: readonly string[] = []): SeldonUsageError {
  const where = ['seldon', ...path.slice(1).map(nameOf)].join(' ');
  const flag = /^unknown (?:shorthand )?flag: (?:'(.)' in -\S*|(--\S+))$/.exec(message);
  const int = /^invalid argument "(.*)" for "(?:-., )?(--[^"]+)" flag: strconv\.ParseInt/.exec(message);
  let note = `the CLI refuses ${where}: ${message}`;
  if (flag) note = `seldon flag ${flag[2] ?? `-${flag[1]}`} is not one the typed step understands (the CLI says: ${message})`;
  else if (int) note = `seldon ${int[2]} '${int[1]}' is not an integer (the CLI says: ${message})`;
  else if (message.startsWith('required flag(s) "file-path"')) note = `${where} needs -f FILE (the CLI says: ${message})`;
  else if (path.at(-1)!.requires && positionals[0] !== undefined) note = `${where} ${positionals[0]} is not a command (the CLI says: ${message})`;
  return new SeldonUsageError(note, `Error: ${message}\n`);
}

/** cobra's help command: `Find` the topic from the root; an unknown one prints a line and the root's usage. */
function helpTopic(topic: readonly string[], env: Env): Routed {
  const { path, rest } = find(topic);
  if (path.length === 1 && stripFlags(rest, SELDON_ROOT).length > 0) {
    const shown = topic.map((t) => `\`${t}\``).join(' ');
    throw new SeldonUsageError(`seldon help ${topic.join(' ')} names no command`, `Unknown help topic [${shown}]\n${usageString([SELDON_ROOT], env)}`, 0);
  }
  if (path.at(-1)!.opaque) throw unknownToStep(path);
  return { type: 'help', path, text: helpText(path, env) };
}

/** A command the table lists without the flags and texts its help and run would need (config, completion's shells). */
function unknownToStep(path: CommandPath): Fallback {
  return new Fallback(`seldon ${commandPath(path.slice(1))} is not a command the typed step knows`);
}

/**
 * Routes `seldon WORDS` as cobra's ExecuteC would: unknown root commands (with suggestions), flag errors, help
 * (`-h`, `--help`, `help TOPIC`, or a command with no Run), argument and required-flag errors, a group's "subcommand
 * required". Throws SeldonUsageError where the CLI would fail; otherwise the command to run and its words.
 */
export function routeSeldon(words: readonly string[], env: Env = {}): Routed {
  const { path, rest } = find(words);
  const cmd = path.at(-1)!;
  if (path.length === 1) {
    // cobra's legacyArgs: the root (Args unset) refuses a first word that names no subcommand.
    const [unknown] = stripFlags(rest, cmd);
    if (unknown !== undefined) {
      const message = `unknown command ${JSON.stringify(unknown)} for "seldon"${suggestions(cmd, unknown)}`;
      throw new SeldonUsageError(`seldon ${unknown} is not a command`, `Error: ${message}\nRun 'seldon --help' for usage.\n`);
    }
  }
  // Its flags are not in the table, so neither its flag errors nor its help can be told.
  if (cmd.opaque) throw unknownToStep(path);
  const parsed = parseFlags(rest, localFlags(cmd));
  if (typeof parsed === 'string') throw failed(path, parsed);
  if (parsed.help || !cmd.runnable) return { type: 'help', path, text: helpText(path, env) };
  const badArgs = argsError(path, parsed.positionals);
  if (badArgs) throw failed(path, badArgs);
  const missing = requiredError(cmd, parsed.given);
  if (missing) throw failed(path, missing);
  if (cmd.requires) throw failed(path, cmd.requires, parsed.positionals);
  if (cmd.use.startsWith('help ')) return helpTopic(parsed.positionals, env);
  return { type: 'run', path, words: rest };
}
