/**
 * Turning the bytes of a runbook into text, refusing what is not a text runbook with a located message.
 */
import { readFile as readFileCallback, stat as statCallback } from 'node:fs';
import { promisify } from 'node:util';
import { InputError, positionAt, type SourcePosition } from '../core/errors.js';

// node:fs's callbacks, promisified, not node:fs/promises: that module (and the readline and stream modules it loads)
// costs ~1.4 ms of every run's start, and nothing else in a one-echo run needs it.
const readFile = promisify(readFileCallback);
const stat = promisify(statCallback);

/** Larger files are refused before reading: a runbook is a page of documentation, not a data dump. */
export const MAX_RUNBOOK_BYTES = 10 * 1024 * 1024;

/**
 * More lines are refused too: a 10 MB runbook of documentation has about 400,000, while ten million one-character
 * lines would take seconds to split and scan.
 */
export const MAX_RUNBOOK_LINES = 1_000_000;

/** Throws when `text` has more than MAX_RUNBOOK_LINES lines; `what` names them (`lines`, `lines of cell source`). */
export function checkLineCount(text: string, at: () => SourcePosition, what = 'lines', before = 0): number {
  let n = before + 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (++n > MAX_RUNBOOK_LINES) throw new InputError(`more than ${MAX_RUNBOOK_LINES.toLocaleString('en')} ${what}; split the runbook into smaller files`, at());
  }
  return n;
}

/** Reads a runbook file as text; a missing file, a folder, a huge, binary or non-UTF-8 file is an InputError. */
export async function readRunbookFile(path: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError('is a directory, not a runbook file', { file: path, line: 1, column: 1 });
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeFsError(error), { file: path, line: 1, column: 1 }, { cause: error });
  }
  if (size > MAX_RUNBOOK_BYTES) throw tooLarge(path, size);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(describeFsError(error), { file: path, line: 1, column: 1 }, { cause: error });
  }
  return decodeRunbook(path, bytes);
}

/** Decodes UTF-8 (dropping a byte-order mark); called for every runbook, whether read from disk or given as bytes. */
export function decodeRunbook(file: string, bytes: Uint8Array): string {
  if (bytes.length > MAX_RUNBOOK_BYTES) throw tooLarge(file, bytes.length);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, nul));
    throw new InputError('binary file (NUL byte); expected a Markdown or .ipynb text file', positionAt(file, before, before.length));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const hex = bytes[bad]!.toString(16).padStart(2, '0');
    throw new InputError(`invalid UTF-8 (byte 0x${hex} at offset ${bad}); save the runbook as UTF-8`, positionAt(file, before, before.length));
  }
  return text;
}

/** Checks the text limits when the caller already has a string. */
export function checkRunbookText(file: string, text: string): void {
  if (text.length > MAX_RUNBOOK_BYTES) throw tooLarge(file, Buffer.byteLength(text));
  const nul = text.indexOf('\0');
  if (nul !== -1) throw new InputError('binary file (NUL byte); expected a Markdown or .ipynb text file', positionAt(file, text, nul));
}

function tooLarge(file: string, size: number): InputError {
  const mb = (size / 1024 / 1024).toFixed(1);
  return new InputError(`file is ${mb} MB; runbooks larger than 10 MB are not read`, { file, line: 1, column: 1 });
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a runbook file';
  return `cannot read: ${error instanceof Error ? error.message : String(error)}`;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return bytes.length;
}
