/**
 * curl's progress meter, as curl 7.88 writes it to stderr when the body does not go to a terminal and `-s` is off:
 * a two-line header, then `\r`-prefixed status lines (at start, once per wall-clock second, a final one plus '\n').
 */
const HEADER =
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
  '                                 Dload  Upload   Total   Spent    Left  Speed\n';

const KB = 1024;
const MB = 1024 * KB;

/** A byte count in at most five columns, with k/M/G suffixes as curl's `max5data`. */
export function max5(bytes: number): string {
  if (bytes < 100000) return String(bytes).padStart(5);
  if (bytes < 10000 * KB) return `${String(Math.floor(bytes / KB)).padStart(4)}k`;
  if (bytes < 100 * MB) return `${String(Math.floor(bytes / MB)).padStart(2)}.${Math.floor((bytes % MB) / (MB / 10))}M`;
  if (bytes < 10000 * MB) return `${String(Math.floor(bytes / MB)).padStart(4)}M`;
  return `${String(Math.floor(bytes / (1024 * MB))).padStart(4)}G`;
}

/** Seconds as curl's eight-column `H:MM:SS`, or `--:--:--` for none. */
export function timeColumn(seconds: number): string {
  if (seconds <= 0) return '--:--:--';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2)}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export interface Transfer {
  downloaded: number;
  uploaded: number;
  /** From Content-Length, once the response headers arrived. */
  downloadSize?: number;
  /** The request body's length, when there is one. */
  uploadSize?: number;
}

const percent = (done: number, size: number | undefined): number => (size ? Math.floor((done * 100) / size) : 0);

/** One status line (without the leading `\r`). */
export function statusLine(t: Transfer, elapsedMs: number): string {
  const ms = Math.max(1, Math.round(elapsedMs));
  const dlSpeed = Math.floor((t.downloaded * 1000) / ms);
  const ulSpeed = Math.floor((t.uploaded * 1000) / ms);
  const expected = (t.uploadSize ?? t.uploaded) + (t.downloadSize ?? t.downloaded);
  const total = percent(t.downloaded + t.uploaded, expected);
  const spent = Math.floor(elapsedMs / 1000);
  const pct = (n: number): string => String(n).padStart(3);
  return (
    `${pct(total)} ${max5(expected)}  ${pct(percent(t.downloaded, t.downloadSize))} ${max5(t.downloaded)}  ` +
    `${pct(percent(t.uploaded, t.uploadSize))} ${max5(t.uploaded)}  ${max5(dlSpeed)}  ${max5(ulSpeed)} ` +
    `${timeColumn(0)} ${timeColumn(spent)} ${timeColumn(0)} ${max5(dlSpeed + ulSpeed)}`
  );
}

/** Writes the meter for one transfer; every method is a no-op when the meter is off (`-s`). */
export class ProgressMeter {
  private readonly started: number;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private shown = false;
  private lastSecond = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly write: (text: string) => void,
    readonly transfer: Transfer,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** When the transfer starts: the header and a first all-zero line. */
  start(): void {
    if (!this.enabled || this.shown || this.finished) return;
    this.shown = true;
    this.lastSecond = Math.floor(this.now() / 1000);
    this.write(HEADER + '\r' + statusLine(this.transfer, 0));
    this.schedule();
  }

  /**
   * Whenever curl would update (a timer, an error): a new line only if the wall-clock second changed since the last
   * one, as curl limits the meter to one line per calendar second.
   */
  tick(): void {
    if (!this.shown || this.finished) return;
    const second = Math.floor(this.now() / 1000);
    if (second === this.lastSecond) return;
    this.lastSecond = second;
    this.write('\r' + statusLine(this.transfer, this.now() - this.started));
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, 1000 - (this.now() % 1000) + 1);
    this.timer.unref();
  }

  /** When the transfer ends (success or most failures): the final line and a newline. */
  done(): void {
    this.stop();
    if (this.shown) this.write('\r' + statusLine(this.transfer, this.now() - this.started) + '\n');
  }

  /** When the transfer ends without a final line (curl skips it after a failed name lookup). */
  stop(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
