/**
 * The `writefile` step, IPython's `%%writefile [-a] PATH`: the cell's body written to PATH, relative to the
 * runbook's folder, atomically (a reader never sees half a file); `-a` appends. It prints what IPython prints:
 * `Writing PATH` for a new file, `Overwriting PATH`, or `Appending to PATH` for one that exists. A path outside the
 * runbook's folder (symlinks followed) is refused unless the run allows it (`--allow-writes-outside`). When the
 * runbook ends, files the run created are removed and files it changed get their content back.
 */
import { readFile, realpath, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { StepOutput, StepRunner } from '../src/core/step.js';
import { writeFileAtomic } from '../src/core/write-atomic.js';

export const writefile: StepRunner<'writefile'> = {
  async run(args, ctx) {
    // As IPython: quotes around the whole name go, `~` is the home folder; the message names the path so.
    const shown = unquote(args.path).replace(/^~(?=$|\/)/, homedir());
    const file = path.resolve(ctx.cwd, shown);
    if (!ctx.allowWritesOutside && !(await inside(ctx.cwd, file))) {
      return failure(`refusing to write ${shown}: it is outside the runbook's folder (${ctx.cwd}); --allow-writes-outside allows it`);
    }
    const original = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    // IPython hands the magic the cell's body with a final newline.
    const body = Buffer.from(args.content === '' || args.content.endsWith('\n') ? args.content : `${args.content}\n`, 'utf8');
    writtenFiles(ctx.cache).note(file, original);
    try {
      await writeFileAtomic(file, args.append && original ? Buffer.concat([original, body]) : body);
    } catch (error) {
      return failure(`cannot write ${shown}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const verb = original === undefined ? 'Writing' : args.append ? 'Appending to' : 'Overwriting';
    const stdout = `${verb} ${shown}\n`;
    ctx.write('stdout', stdout);
    return { stdout, stderr: '', exitCode: 0 };
  },
};

function failure(message: string): StepOutput {
  return { stdout: '', stderr: `runbook: ${message}\n`, exitCode: 1 };
}

function unquote(name: string): string {
  return /^'.*'$|^".*"$/.test(name) ? name.slice(1, -1) : name;
}

/** Whether `file` lies in `folder`, after following the symlinks of both (of its folder if it does not exist yet). */
async function inside(folder: string, file: string): Promise<boolean> {
  const root = await realpath(folder).catch(() => path.resolve(folder));
  const real = await realpath(file).catch(async () => path.join(await realpath(path.dirname(file)).catch(() => path.dirname(file)), path.basename(file)));
  const relative = path.relative(root, real);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/*
 * What writefile steps changed on disk during a run, so that it is undone when the runbook ends. Kept in the run's
 * cache, whose values with close() the runner closes when the runbook ends, whatever happened.
 */
const cacheKey = 'writefile:ledger';

export class WrittenFiles {
  /** Absolute path → the content before the run's first write (undefined: the file did not exist). */
  private readonly before = new Map<string, Buffer | undefined>();

  /** Remembers a file's state before this run first writes it; later writes keep the first state. */
  note(file: string, original: Buffer | undefined): void {
    if (!this.before.has(file)) this.before.set(file, original);
  }

  async close(): Promise<void> {
    const undo = [...this.before].reverse();
    this.before.clear();
    for (const [file, original] of undo) {
      await (original === undefined ? unlink(file) : writeFileAtomic(file, original)).catch(() => undefined);
    }
  }
}

export function writtenFiles(cache: Map<string, unknown>): WrittenFiles {
  let ledger = cache.get(cacheKey);
  if (!(ledger instanceof WrittenFiles)) {
    ledger = new WrittenFiles();
    cache.set(cacheKey, ledger);
  }
  return ledger as WrittenFiles;
}
