/**
 * Which files a command reads when given folders: every `.md` and `.ipynb` below them, and of those, once parsed,
 * the runbooks. A file named on the command line is always taken (its errors are the user's to see); one found in
 * a folder only when it has steps, so a README's `npm ci` snippet or a tutorial's `touch` never runs by accident.
 */
import { readdir as readdirCallback, stat as statCallback } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Plan } from '../core/model.js';

// node:fs's callbacks, promisified, not node:fs/promises: that module (and the readline and stream modules it loads)
// costs ~1.4 ms of every run's start, and nothing else in a one-echo run needs it.
const readdir = promisify(readdirCallback);
const stat = promisify(statCallback);

/** A path to load, and whether the user named it (true) or a folder walk found it (false). */
export interface Candidate {
  file: string;
  named: boolean;
}

/** A file found in a folder that is not a runbook, and why. */
export interface IgnoredFile {
  file: string;
  reason: string;
}

const RUNBOOK_FILE = /\.(md|ipynb)$/i;

/** Files as given (missing ones too: loading them says so), folders expanded recursively, sorted by name. */
export async function candidates(paths: readonly string[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (info?.isDirectory()) for (const file of await runbookFiles(p)) out.push({ file, named: false });
    else out.push({ file: p, named: true });
  }
  return out;
}

/** The `.md` and `.ipynb` files in a folder and below it, sorted by name; dot folders and node_modules are skipped. */
export async function runbookFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const f of await runbookFiles(full)) out.push(f);
    else if (RUNBOOK_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/** Why a parsed file found in a folder is not a runbook; undefined when it is one. */
export function whyIgnored(plan: Plan): string | undefined {
  if (plan.frontMatter.runbook === false) return 'front matter says runbook: false';
  if (plan.steps.length > 0) return undefined;
  return plan.format === 'ipynb'
    ? 'no steps: no code cell runs a command'
    : 'no steps: no `$ ` prompt, recorded output or `!` cell (front matter `runbook: true` opts in)';
}
