/**
 * Errors the user can fix carry a location and exit with 2; anything else is our bug.
 * The CLI prints `InputError`s as one paragraph without a stack trace.
 */
export interface SourcePosition {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Bad input: a runbook, a flag value or a file the user named. Exit code 2. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly position?: SourcePosition,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InputError';
  }

  /** `file:line:column: message`, the form every command prints. */
  format(): string {
    const p = this.position;
    return p ? `${p.file}:${p.line}:${p.column}: ${this.message}` : this.message;
  }
}

/** 1-based line and column of a character offset in `text`. */
export function positionAt(file: string, text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A piece of the user's input as a message quotes it: on one line (control characters escaped) and at most `max`
 * characters, so that an error about a 10 MB line stays one readable line.
 */
export function excerpt(text: string, max = 40): string {
  // Half of a surrogate pair (V8's JSON errors name one UTF-16 unit as the token) prints as U+FFFD: escape it too.
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\x00-\x1f\x7f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (flat.length <= max) return flat;
  // Cut before a pair rather than through it, which would print half a character.
  const end = /[\ud800-\udbff]/.test(flat.charAt(max - 2)) ? max - 2 : max - 1;
  return `${flat.slice(0, end)}…`;
}

export const ExitCode = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
