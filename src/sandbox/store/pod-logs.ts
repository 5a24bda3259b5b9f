/**
 * What the sandbox's pods have printed, per container, for `kubectl logs` (the pods/log subresource). Each
 * container keeps its latest lines only.
 */

const MAX_LINES = 2000;

export interface LogLine {
  at: Date;
  text: string;
}

export interface LogQuery {
  /** Only the last this many lines. */
  tailLines?: number;
  /** Prefix each line with its RFC 3339 time, as `kubectl logs --timestamps`. */
  timestamps?: boolean;
}

export class PodLogs {
  readonly #lines = new Map<string, LogLine[]>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  append(namespace: string, pod: string, container: string, text: string): void {
    const key = `${namespace}/${pod}/${container}`;
    let lines = this.#lines.get(key);
    if (!lines) this.#lines.set(key, (lines = []));
    lines.push({ at: this.now(), text });
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
  }

  /** The container's log as one text, each line ending in a newline; empty when it printed nothing. */
  read(namespace: string, pod: string, container: string, query: LogQuery = {}): string {
    let lines = this.#lines.get(`${namespace}/${pod}/${container}`) ?? [];
    if (query.tailLines !== undefined && query.tailLines >= 0) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
    return lines.map((l) => `${query.timestamps ? `${l.at.toISOString().replace(/Z$/, '000000Z')} ` : ''}${l.text}\n`).join('');
  }

  /** Forgets a pod's logs (it was deleted). */
  forget(namespace: string, pod: string): void {
    for (const key of this.#lines.keys()) if (key.startsWith(`${namespace}/${pod}/`)) this.#lines.delete(key);
  }
}
