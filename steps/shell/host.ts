/**
 * Which long-lived shell a runbook's shell steps use, kept in the run's cache under one key so that the cache's
 * close() at the runbook's end (runner/finish.ts) ends it. When the shell dies, the next step is spawned the old
 * way, says so in its diagnostics, and a fresh shell is started for the steps after it.
 */
import { ShellServer } from './server.js';

const KEY = 'shell:server';

export class ShellHost {
  private server?: ShellServer;
  private note?: string;

  /**
   * The server for a step whose environment is `env`, when one is ready; else undefined, and one is started for
   * the steps to come. `note` says, once, that an earlier server died.
   */
  take(env: NodeJS.ProcessEnv): { server?: ShellServer; note?: string } {
    if (this.server?.ended) {
      this.note = `the long-lived shell (pid ${this.server.pid}) ${this.server.ended}; a new one was started`;
      this.server = undefined;
    }
    if (!this.server) this.server = new ShellServer(env);
    const note = this.note;
    this.note = undefined;
    return { server: this.server.usable ? this.server : undefined, note };
  }

  /** The current server (tests kill it to see a step survive that). */
  get current(): ShellServer | undefined {
    return this.server;
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
  }
}

/** The run's host, made at the first shell step. */
export function shellHost(cache: Map<string, unknown>): ShellHost {
  let host = cache.get(KEY);
  if (!(host instanceof ShellHost)) {
    host = new ShellHost();
    cache.set(KEY, host);
  }
  return host as ShellHost;
}
