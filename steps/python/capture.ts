/**
 * One output stream of the kernel (its fd 1 or fd 2) cut into cells. At the end of each cell the kernel writes
 * the cell's marker, a random string the driver chose; the cell's output is everything before it. What a cell
 * prints is kept up to a bound: the first `keepBytes` and the last `keepTailBytes` (where a trailing value or a
 * traceback is), with one line saying how many bytes between them were dropped, so a cell that prints 100 MB
 * costs no memory.
 */
import { StringDecoder } from 'node:string_decoder';

/** How much of the start of one stream of one cell is kept. */
export const keepBytes = 1024 * 1024;
/** How much of its end is kept, past `keepBytes`. */
export const keepTailBytes = 64 * 1024;

export interface CellText {
  text: string;
  /** Bytes printed between the kept start and the kept end, not kept. */
  dropped: number;
}

interface Cell {
  marker: Buffer;
  decoder: StringDecoder;
  text: string;
  kept: number;
  /** Bytes past the start's bound: the last `keepTailBytes` of them are kept in `tail`. */
  overflow: number;
  tail: Buffer[];
  onText: (text: string) => void;
  onEnd: () => void;
}

export class MarkedStream {
  private cell: Cell | undefined;
  /** The last bytes of a cell's output that begin its marker, held back until we know whether the marker follows. */
  private carry: Buffer = Buffer.alloc(0);
  private done = false;

  constructor(
    private readonly limit = keepBytes,
    private readonly tailLimit = keepTailBytes,
  ) {}

  /** Starts a cell; `onText` gets its kept output as it comes, `onEnd` fires once the marker is read. */
  begin(marker: string, onText: (text: string) => void, onEnd: () => void): void {
    this.cell = { marker: Buffer.from(marker, 'latin1'), decoder: new StringDecoder('utf8'), text: '', kept: 0, overflow: 0, tail: [], onText, onEnd };
    this.carry = Buffer.alloc(0);
    this.done = false;
  }

  /** Bytes from the pipe. Between cells (a background child still printing) they belong to no cell and are dropped. */
  push(chunk: Buffer): void {
    const cell = this.cell;
    if (!cell || this.done) return;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const at = data.indexOf(cell.marker);
    if (at >= 0) {
      this.take(cell, data.subarray(0, at));
      this.carry = Buffer.alloc(0);
      this.done = true;
      cell.onEnd();
      return;
    }
    const hold = heldBack(data, cell.marker);
    this.take(cell, data.subarray(0, data.length - hold));
    // A copy: the chunk's memory must not be pinned by a few bytes of it.
    this.carry = Buffer.from(data.subarray(data.length - hold));
  }

  /** Ends the cell (its marker read, or the kernel gone) and returns what it printed. */
  end(): CellText {
    const cell = this.cell;
    this.cell = undefined;
    if (!cell) return { text: '', dropped: 0 };
    // Without the marker (the kernel died), the held-back bytes were output after all.
    if (!this.done) this.take(cell, this.carry);
    this.carry = Buffer.alloc(0);
    const rest = cell.decoder.end();
    if (rest) this.emit(cell, rest);
    if (cell.overflow === 0) return { text: cell.text, dropped: 0 };
    const all = Buffer.concat(cell.tail);
    const tail = all.subarray(Math.max(0, all.length - this.tailLimit));
    const dropped = cell.overflow - tail.length;
    // The kept end may start inside a UTF-8 sequence: its continuation bytes go with the dropped ones.
    let start = 0;
    while (start < Math.min(3, tail.length) && ((tail[start] ?? 0) & 0xc0) === 0x80) start++;
    const gap = dropped + start > 0 ? `${cell.text.endsWith('\n') ? '' : '\n'}[runbook: ${dropped + start} bytes not kept]\n` : '';
    this.emit(cell, gap + tail.subarray(start).toString('utf8'));
    return { text: cell.text, dropped: dropped + start };
  }

  private take(cell: Cell, bytes: Buffer): void {
    if (bytes.length === 0) return;
    const room = Math.max(0, this.limit - cell.kept);
    const kept = bytes.subarray(0, room);
    cell.kept += kept.length;
    const text = cell.decoder.write(kept);
    if (text) this.emit(cell, text);
    if (kept.length < bytes.length) this.keepTail(cell, bytes.subarray(kept.length));
  }

  /** Keeps the last `tailLimit` bytes past the start's bound, in copies so no whole chunk stays pinned. */
  private keepTail(cell: Cell, bytes: Buffer): void {
    cell.overflow += bytes.length;
    cell.tail.push(Buffer.from(bytes.subarray(Math.max(0, bytes.length - this.tailLimit))));
    let size = cell.tail.reduce((sum, b) => sum + b.length, 0);
    while (size - (cell.tail[0]?.length ?? 0) >= this.tailLimit) size -= cell.tail.shift()?.length ?? 0;
  }

  private emit(cell: Cell, text: string): void {
    cell.text += text;
    cell.onText(text);
  }
}

/** How many bytes at the end of `data` are the beginning of `marker` (output held back, so that it still streams). */
function heldBack(data: Buffer, marker: Buffer): number {
  for (let size = Math.min(data.length, marker.length - 1); size > 0; size--) {
    if (data.subarray(data.length - size).equals(marker.subarray(0, size))) return size;
  }
  return 0;
}
