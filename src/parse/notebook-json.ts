/**
 * A notebook's JSON: values from JSON.parse, the offsets of its top-level keys and cells from core's span finder,
 * and, for text that is not JSON, where and why it stops being JSON from jsonc-parser's visitor, which says what
 * it expected (V8 says `Unexpected token '}', "…" is not valid JSON`, and some of its messages name no position).
 */
// The ESM build: the package's main entry is a UMD wrapper whose require() calls esbuild cannot follow, so the
// bundled CLI failed with "Cannot find module './impl/format'".
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
import { excerpt } from '../core/errors.js';
import { arrayElements, topLevelMembers } from '../core/json-spans.js';

/** jsonc-parser as a strict JSON parser: comments, trailing commas and an empty file are errors. */
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** The visitor recurses per nesting level and would overflow the call stack somewhere past 5,000. */
const MAX_DEPTH = 1000;

/** Why and where a text is not JSON. */
export class JsonTextError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface NotebookJson {
  /** The parsed value, as JSON.parse gives it. */
  value: unknown;
  /** Offset of each top-level key (the last one, where a key repeats: JSON.parse keeps the last value). */
  keys: Map<string, number>;
  /** Offset of each element of the top-level `cells` list. */
  cells: number[];
}

/** Parses notebook text as strict JSON; throws JsonTextError at the first defect. */
export function readNotebookJson(text: string): NotebookJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw jsonError(text, error);
  }
  const members = topLevelMembers(text);
  const cells = members.get('cells');
  return {
    value,
    keys: new Map([...members].map(([name, member]) => [name, member.key])),
    cells: cells ? arrayElements(text, cells.value).map((span) => span.offset) : [],
  };
}

/** The first defect of a text JSON.parse rejected, located and worded by jsonc-parser. */
export function jsonError(text: string, parseError: unknown): JsonTextError {
  const closers: ('}' | ']')[] = [];
  let found: JsonTextError | undefined;
  const open = (closer: '}' | ']') => {
    // Throwing is the visitor's only way to stop; it keeps the recursion far from the stack's end.
    if (closers.push(closer) > MAX_DEPTH) throw v8Error(text, parseError);
  };
  try {
    visit(
      text,
      {
        onObjectBegin: () => open('}'),
        onArrayBegin: () => open(']'),
        onObjectEnd: () => closers.pop(),
        onArrayEnd: () => closers.pop(),
        onError: (code, offset, length) => {
          found ??= new JsonTextError(`invalid JSON (${describe(code, text, offset, length, closers.at(-1))})`, offsetOf(code, text, offset, length));
        },
      },
      STRICT,
    );
  } catch (thrown) {
    if (!(thrown instanceof JsonTextError)) throw thrown;
    return found ?? thrown;
  }
  // jsonc-parser accepted what JSON.parse did not (it never has, in the tests): V8's own words, then.
  return found ?? v8Error(text, parseError);
}

/** V8's message, where jsonc-parser cannot help: it names the position of most errors; the others are at the end. */
function v8Error(text: string, error: unknown): JsonTextError {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  // V8 quotes the whole input in some messages; the position says where.
  const words = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '');
  return new JsonTextError(`invalid JSON (${excerpt(words, 200)})`, position ? Number(position[1]) : text.length);
}

/** What a strict JSON string may not hold: a raw control character, or an escape JSON has no meaning for. */
// eslint-disable-next-line no-control-regex
const BAD_IN_STRING = /[\x00-\x1f]|\\(?:u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu]|$)/;

/** Errors inside a string token point at the offending character, not at the opening quote. */
function offsetOf(code: ParseErrorCode, text: string, offset: number, length: number): number {
  const name = printParseErrorCode(code);
  if (name === 'UnexpectedEndOfString' || name === 'InvalidCharacter' || name === 'InvalidEscapeCharacter' || name === 'InvalidUnicode') {
    const bad = BAD_IN_STRING.exec(text.slice(offset, offset + length + 1));
    if (bad) return offset + bad.index;
    if (name === 'UnexpectedEndOfString') return offset + length;
  }
  return offset;
}

function describe(code: ParseErrorCode, text: string, offset: number, length: number, closer: '}' | ']' | undefined): string {
  const token = text.slice(offset, offset + length) || (text[offset] ?? '');
  const found = offset >= text.length ? 'found the end of the file' : `found ${shown(token)}`;
  const name = printParseErrorCode(code);
  switch (name) {
    case 'ValueExpected':
      return `expected a value, ${found}`;
    case 'PropertyNameExpected':
      return `expected a key in double quotes, ${found}`;
    case 'ColonExpected':
      return `expected ':' after the key, ${found}`;
    case 'CommaExpected':
      return `expected ',' or '${closer ?? '}'}', ${found}`;
    case 'CloseBraceExpected':
      return `expected ',' or '}', ${found}`;
    case 'CloseBracketExpected':
      return `expected ',' or ']', ${found}`;
    case 'EndOfFileExpected':
      return `expected the end of the file after the top-level value, ${found}`;
    case 'InvalidSymbol':
      return token.startsWith("'") ? `expected double quotes, ${found}` : `expected a JSON value or punctuation, ${found}`;
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return `expected a digit in the number '${excerpt(token, 20)}'`;
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'expected JSON, found a comment (JSON has none)';
    case 'UnexpectedEndOfString':
    case 'InvalidCharacter':
    case 'InvalidEscapeCharacter':
    case 'InvalidUnicode':
      return stringProblem(text.slice(offset, offset + length + 1));
    case '<unknown ParseErrorCode>':
      return `invalid JSON, ${found}`;
  }
}

/** A token as a message shows it: quoted, or by code point when it is one invisible or unusual character. */
function shown(token: string): string {
  const code = token.codePointAt(0) ?? 0;
  if (token.length <= 2 && String.fromCodePoint(code) === token && (code < 0x21 || code > 0x7e)) return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return token.startsWith("'") ? excerpt(token, 20) : `'${excerpt(token, 20)}'`;
}

function stringProblem(token: string): string {
  const bad = BAD_IN_STRING.exec(token)?.[0];
  if (bad === undefined) return 'expected \'"\' to close the string, found the end of the file';
  if (!bad.startsWith('\\')) return `expected '"' or an escape such as \\n, found the control character ${excerpt(bad)} in a string`;
  if (bad.startsWith('\\u')) return 'expected four hex digits after \\u in a string';
  return `expected an escape JSON knows (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX), found '${excerpt(bad)}' in a string`;
}
