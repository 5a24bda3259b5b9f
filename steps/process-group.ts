/** Signals for the children steps start in their own process group (`detached`), so grandchildren go too. */

/** Sends `signal` to the whole group led by `pid`; a group that is already gone is not an error. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
