/**
 * bash's brace and tilde expansion for typed steps, done on the command's text before it is split into words
 * (the quotes still show what is quoted): `kubectl apply -f ~/x.yaml` must read `$HOME/x.yaml`, and
 * `curl -d @{a,b}.json` two files, as bash runs them. Brace expansion comes first, then tildes, as in bash.
 * `~` becomes a reference to HOME, substituted when the step runs like any `${VAR}`, so the runbook's own
 * variables apply. What bash would look up elsewhere (`~user`, `~+`, `{1..3}`) is left to the shell.
 */
import { excerpt } from '../core/errors.js';
import { Fallback } from './fallback.js';

/** More words than any typed command needs: `{a,b}{c,d}…` doubles with every group. */
const MAX_WORDS = 10_000;

const NAME_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Which characters of a word are quoted (quotes and backslashes count as quoted: they are not plain text). */
function quotedMask(word: string): boolean[] {
  const quoted = Array.from({ length: word.length }, () => false);
  const mark = (from: number, to: number) => {
    for (let k = from; k <= to && k < word.length; k++) quoted[k] = true;
  };
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === '\\') {
      mark(i, i + 1);
      i++;
    } else if (c === "'" || c === '"' || (c === '$' && word[i + 1] === "'")) {
      const start = i;
      const close = c === '"' ? '"' : "'";
      if (c === '$') i++;
      // Backslashes escape inside "…" and $'…', not inside '…'.
      for (i++; i < word.length && word[i] !== close; i++) if (word[i] === '\\' && c !== "'") i++;
      mark(start, i);
    }
  }
  return quoted;
}

/**
 * Each unquoted `{` that is closed: its `}` and the unquoted commas at its top level. One pass with a stack, so
 * that a 64 KB word of unclosed braces is not rescanned from every brace. A `${…}` is a parameter, not a group.
 */
function groups(word: string, quoted: readonly boolean[]): Map<number, { close: number; commas: number[] }> {
  const found = new Map<number, { close: number; commas: number[] }>();
  const open: { at: number; parameter: boolean; commas: number[] }[] = [];
  for (let i = 0; i < word.length; i++) {
    if (quoted[i]) continue;
    const c = word[i];
    if (c === '{') open.push({ at: i, parameter: word[i - 1] === '$' && !quoted[i - 1], commas: [] });
    else if (c === ',') open.at(-1)?.commas.push(i);
    else if (c === '}') {
      const group = open.pop();
      if (group && !group.parameter) found.set(group.at, { close: i, commas: group.commas });
    }
  }
  return found;
}

/** bash's brace expansion of one word: the first group with a comma is expanded, then each part again. */
function braces(word: string): string[] {
  if (!word.includes('{')) return [word];
  const quoted = quotedMask(word);
  for (const [i, found] of [...groups(word, quoted)].sort(([a], [b]) => a - b)) {
    if (found.commas.length === 0) {
      const text = word.slice(i, found.close + 1);
      if (/^\{(?:-?\d+\.\.-?\d+|[a-zA-Z]\.\.[a-zA-Z])(?:\.\.-?\d+)?\}$/.test(text)) throw new Fallback(`uses the brace sequence ${text}`);
      continue;
    }
    const bounds = [i, ...found.commas, found.close];
    const alternatives = bounds.slice(1).flatMap((end, k) => braces(word.slice((bounds[k] ?? i) + 1, end)));
    const after = braces(word.slice(found.close + 1));
    if (alternatives.length * after.length > MAX_WORDS) throw new Fallback(`expands braces into more than ${MAX_WORDS.toLocaleString('en-US')} words`);
    const before = word.slice(0, i);
    return alternatives.flatMap((a) => after.map((p) => before + a + p));
  }
  return [word];
}

/**
 * Tilde expansion of one word: a leading unquoted `~` up to the first unquoted `/`, and in a word that reads as an
 * assignment (`NAME=…`, which bash expands even as an argument) the same after the `=` and after each `:`.
 */
function tildes(word: string, assignment: boolean, home: string): string {
  const quoted = quotedMask(word);
  const starts = [0];
  if (assignment) {
    starts[0] = word.indexOf('=') + 1;
    for (let i = starts[0]; i < word.length; i++) if (word[i] === ':' && !quoted[i]) starts.push(i + 1);
  }
  let out = word;
  // From the last, so that earlier offsets stay valid.
  for (const start of starts.reverse()) {
    if (word[start] !== '~' || quoted[start]) continue;
    let end = start + 1;
    while (end < word.length && !(quoted[end] === false && (word[end] === '/' || (assignment && word[end] === ':')))) end++;
    const prefix = word.slice(start, end);
    if (prefix === '~') out = out.slice(0, start) + home + out.slice(end);
    // A quoted character in the prefix turns expansion off; anything else names another directory.
    else if (!quoted.slice(start, end).some(Boolean)) throw new Fallback(`uses ${excerpt(prefix, 20)} (a home or directory bash looks up)`);
  }
  return out;
}

/** One word as bash expands it before splitting: several words (joined by spaces) or one. */
function expandWord(word: string, home: string): string {
  if (!word.includes('~') && !word.includes('{')) return word;
  const expanded = braces(word);
  const assignment = expanded.length === 1 && expanded[0] === word && NAME_ASSIGNMENT.test(word);
  return expanded.map((w) => tildes(w, assignment, home)).join(' ');
}

const SEPARATOR = /[ \t\n|&;<>()]/;

/**
 * The command text with every word brace- and tilde-expanded; separators and operators are kept as they are.
 * `home` is what `~` becomes. Runs on text whose quotes are balanced.
 */
export function expandWords(command: string, home: string): string {
  if (!command.includes('~') && !command.includes('{')) return command;
  let out = '';
  let word = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i] ?? '';
    if (word === '' && c === '#') {
      // A comment runs to the end of the line: nothing in it is expanded.
      out += command.slice(i);
      return out;
    }
    if (SEPARATOR.test(c)) {
      out += expandWord(word, home) + c;
      word = '';
      continue;
    }
    const start = i;
    if (c === '\\') i++;
    else if (c === "'" || c === '"' || (c === '$' && command[i + 1] === "'")) {
      const close = c === '"' ? '"' : "'";
      if (c === '$') i++;
      for (i++; i < command.length && command[i] !== close; i++) if (command[i] === '\\' && c !== "'") i++;
    }
    word += command.slice(start, i + 1);
  }
  return out + expandWord(word, home);
}
