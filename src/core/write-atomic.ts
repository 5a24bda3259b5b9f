/**
 * Files the user keeps (runbooks rewritten by --update, reports, converted notebooks) are written whole or not at
 * all. Concurrent writers to one path each leave a complete file; the last rename wins.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `content` to a temporary file in the same folder (so the rename stays on one filesystem), flushes it
 * to disk, gives it the original file's mode, and renames it over the original.
 */
export async function writeFileAtomic(target: string, content: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  // A symlinked runbook keeps its link: the file it points to is the one replaced.
  const file = await linkTarget(target);
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode =
    options.mode ??
    (await stat(file).then(
      (s) => s.mode & 0o7777,
      () => 0o644,
    ));
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(content);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The file a path ends at through any symlinks, even when the last link dangles (it will be created). */
async function linkTarget(file: string): Promise<string> {
  const real = await realpath(file).catch(() => undefined);
  if (real) return real;
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  return current;
}
