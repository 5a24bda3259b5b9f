/**
 * `--update` killed with SIGKILL at any moment leaves the runbook as it was or fully updated, never truncated
 * or half-written. A drifted runbook with a large body (so the write itself takes a while) is run again and
 * again and killed at random moments around the end of the run, when the rewrite happens.
 * `npm run soak` does the same many more times.
 */
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../commands/run-cli.js';
import { tempDir } from '../runner/fixtures.js';
import { runSignalled } from './harness.js';

/** A Markdown runbook of `steps` shell steps whose recorded outputs all drifted, padded with `padding` bytes of prose. */
export function driftedRunbook(steps: number, padding: number): string {
  const parts = ['# Drifted\n'];
  for (let i = 0; i < steps; i++) {
    parts.push(`\nStep ${i}.\n\n\`\`\`sh\n$ echo new-${i}\n\`\`\`\n\n\`\`\`output\nold-${i}\n\`\`\`\n`);
  }
  const line = 'Prose that --update must keep byte for byte, however long the file is.\n';
  parts.push(`\n${line.repeat(Math.ceil(padding / line.length))}`);
  return parts.join('');
}

/** Runs `--update` on a fresh copy and SIGKILLs it after `delay` ms; returns the file it left. */
async function killedUpdate(dir: string, source: string, name: string, delay: number): Promise<string> {
  const file = path.join(dir, name);
  copyFileSync(source, file);
  await runSignalled(['run', file, '--update', '--reporter', 'plain'], { afterMs: delay, signal: 'SIGKILL' });
  return readFileSync(file, 'utf8');
}

describe('--update killed with SIGKILL', () => {
  it('leaves the runbook either as it was or fully updated', async () => {
    ensureBuilt();
    const dir = tempDir('runbook-update-kill-');
    const source = path.join(dir, 'source.md');
    const before = driftedRunbook(6, 4_000_000);
    writeFileSync(source, before);

    // The fully updated state, and how long a whole run takes.
    const full = path.join(dir, 'full.md');
    copyFileSync(source, full);
    const reference = await runSignalled(['run', full, '--update', '--reporter', 'plain']);
    // Every failure was an output difference that --update rewrote: nothing left to fix, exit 0.
    expect(reference.code, reference.stdout).toBe(0);
    const after = readFileSync(full, 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain('```output\nnew-5\n```');

    for (let i = 0; i < 12; i++) {
      // Mostly late in the run, where the rewrite happens; a few anywhere.
      const delay = Math.round(i < 3 ? Math.random() * reference.ms : reference.ms * (0.6 + Math.random() * 0.5));
      const text = await killedUpdate(dir, source, `run-${i}.md`, delay);
      expect(text === before || text === after, `killed after ${delay} ms: the file is neither state (${text.length} bytes)`).toBe(true);
    }
    // A killed rewrite may leave its hidden temporary file, never a visible runbook.
    const visible = readdirSync(dir).filter((f) => !f.startsWith('.'));
    expect(visible.every((f) => f.endsWith('.md'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
