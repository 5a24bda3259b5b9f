/**
 * Splitting a command line into words the way a POSIX shell would, with `shell-quote` doing the quoting rules.
 * Variable references stay references (`${VAR}` stays `${VAR}`, `$VAR` stays `$VAR`): the runner substitutes later.
 * A `$` bash leaves alone (inside single quotes, or escaped) becomes `$$`, which substitution turns back into `$`.
 */
import { parse, type ParseEntry } from 'shell-quote';
import { Fallback } from './fallback.js';
import { expandWords } from './shell-expand.js';

export { Fallback } from './fallback.js';

/** A command split on `|`: one word list per pipeline stage. */
export type Pipeline = string[][];

// `${NAME}` is rewritten to `$<marker><length>_NAME` before splitting, because shell-quote's env callback only sees
// the name and the reference must come back with its braces. The marker is an identifier, so shell-quote reads it
// whole, together with any identifier characters that followed the closing brace; the length separates the two.
const BRACE_MARKER = '__runbook_brace__';
const BRACED_KEY = new RegExp(`^${BRACE_MARKER}(\\d+)_`);

/**
 * Joins backslash-newline continuations, marks braced references and rejects what only a shell can run.
 * Mirrors bash quoting: nothing is special inside '…'; inside "…" only `\`, `$` and the backquote are.
 */
function prepare(command: string): string {
  let out = '';
  let quote: '' | "'" | '"' | "$'" = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const next = command[i + 1];
    if (quote === "'") {
      if (c === "'") quote = '';
      out += literal(c);
      continue;
    }
    if (quote === "$'") {
      // ANSI-C quoting: a backslash escapes the next character, including the quote.
      if (c === '\\' && next !== undefined) {
        out += c + literal(next);
        i++;
        continue;
      }
      if (c === "'") quote = '';
      out += literal(c);
      continue;
    }
    if (c === '\\') {
      if (next === '$') {
        // An escaped dollar is no reference: `$$` in a typed argument is a literal `$` (src/core/vars.ts).
        out += '\\$\\$';
        i++;
        continue;
      }
      if (next === '\n') {
        i++;
        continue;
      }
      if (next === '\r' && command[i + 2] === '\n') {
        i += 2;
        continue;
      }
      out += next === undefined ? c : c + next;
      i++;
      continue;
    }
    if (c === '`') throw new Fallback('uses command substitution (`…`)');
    if (c === '$') {
      if (next === '(') throw new Fallback('uses command substitution ($(…))');
      if (next === '{') {
        const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(command.slice(i));
        if (m) {
          out += `$${BRACE_MARKER}${m[1]!.length}_${m[1]!}`;
          i += m[0].length - 1;
          continue;
        }
      }
      if (quote === '' && next === "'") {
        quote = "$'";
        out += c + next;
        i++;
        continue;
      }
    }
    if (quote === '"') {
      if (c === '"') quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '\n') {
      throw new Fallback('holds several commands on separate lines');
    }
    out += c;
  }
  if (quote !== '') throw new Fallback(`has an unclosed ${quote === '"' ? 'double' : 'single'} quote`);
  return out;
}

/** A dollar bash does not expand (inside '…') stays a dollar after substitution: typed arguments spell it `$$`. */
function literal(c: string): string {
  return c === '$' ? '$$' : c;
}

/** What an unquoted `~` becomes: a reference to HOME, as a braced reference is marked for shell-quote. */
const HOME = `$${BRACE_MARKER}4_HOME`;

/** What shell-quote's env callback returns: the reference text itself, so it survives splitting. */
function reference(key: string): string {
  const braced = BRACED_KEY.exec(key);
  if (braced) {
    const name = key.slice(braced[0].length, braced[0].length + Number(braced[1]));
    return '${' + name + '}' + key.slice(braced[0].length + name.length);
  }
  if (key === '' || /^[A-Za-z0-9_]+$/.test(key) || /^[*@#?$!-]$/.test(key)) return '$' + key;
  // `${VAR:-default}` and friends: only the braced form can produce such a key.
  return '${' + key + '}';
}

// An env object rather than a function: with a function, shell-quote rebuilds a RegExp for every word it returns.
const REFERENCES: Record<string, string> = new Proxy({}, { get: (_target, key) => (typeof key === 'string' ? reference(key) : undefined) });

const MAX_TYPED_COMMAND = 64 * 1024;

/**
 * Commands made only of characters no shell treats specially (no quotes, escapes, `$`, globs, comments, braces or
 * tildes, operators other than `|`, newlines; `||` is an operator of its own): for them shell-quote's answer is the
 * whitespace-separated words, found about ten times faster.
 */
const PLAIN = /^[\w\-.,:/=@%+^| \t]*$/;

function plainPipeline(command: string): Pipeline {
  const stages = command.split('|').map((stage) => stage.split(/[ \t]+/).filter((w) => w !== ''));
  if (stages.length > 1 && stages.some((s) => s.length === 0)) throw new Fallback('has an empty pipeline stage');
  return stages;
}

/**
 * Splits a command into pipeline stages of words.
 * Throws `Fallback` when the command needs a shell: any operator other than `|`, redirections, subshells,
 * command substitution, or several commands.
 */
export function splitPipeline(command: string): Pipeline {
  // shell-quote's word pattern backtracks per character: a 10 MB command line took seconds and gigabytes of
  // garbage. No command a typed step runs is anywhere near this long; the shell can still run it.
  if (command.length > MAX_TYPED_COMMAND) throw new Fallback(`is ${Math.round(command.length / 1024)} KB long (typed steps read commands up to 64 KB)`);
  if (PLAIN.test(command) && !command.includes('||')) return plainPipeline(command);
  let entries: ParseEntry[];
  try {
    entries = parse(expandWords(prepare(command.trim()), HOME), REFERENCES);
  } catch (err) {
    if (err instanceof Fallback) throw err;
    throw new Fallback(`cannot be split into words (${(err as Error).message})`);
  }
  let stage: string[] = [];
  const stages: Pipeline = [stage];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      stage.push(entry);
    } else if ('comment' in entry) {
      // A trailing comment changes nothing the command does.
    } else if (entry.op === 'glob') {
      // bash leaves a pattern that matches no file as written; a runbook's arguments are not meant to glob.
      stage.push(entry.pattern);
    } else if (entry.op === '|') {
      stage = [];
      stages.push(stage);
    } else {
      throw new Fallback(`uses the shell operator '${entry.op}'`);
    }
  }
  if (stages.some((s) => s.length === 0) && stages.length > 1) throw new Fallback('has an empty pipeline stage');
  return stages;
}
