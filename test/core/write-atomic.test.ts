import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/write-atomic.js';

const dir = mkdtempSync(path.join(tmpdir(), 'runbook-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file a symlink points to and keeps the link', async () => {
    writeFileSync(path.join(dir, 'real.md'), 'old\n');
    symlinkSync('real.md', path.join(dir, 'link.md'));
    await writeFileAtomic(path.join(dir, 'link.md'), 'new\n');
    expect(lstatSync(path.join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'link.md'))).toBe('real.md');
    expect(readFileSync(path.join(dir, 'real.md'), 'utf8')).toBe('new\n');
  });

  it('creates the target of a dangling link', async () => {
    symlinkSync('later.md', path.join(dir, 'dangling.md'));
    await writeFileAtomic(path.join(dir, 'dangling.md'), 'made\n');
    expect(lstatSync(path.join(dir, 'dangling.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'later.md'), 'utf8')).toBe('made\n');
  });

  it('keeps the mode of the file it replaces, or takes the one asked for', async () => {
    writeFileSync(path.join(dir, 'script.sh'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'script.sh'), 0o750);
    await writeFileAtomic(path.join(dir, 'script.sh'), '#!/bin/sh\necho\n');
    expect(statSync(path.join(dir, 'script.sh')).mode & 0o777).toBe(0o750);
    await writeFileAtomic(path.join(dir, 'secret'), 'token\n', { mode: 0o600 });
    expect(statSync(path.join(dir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('leaves no temporary file behind when the write fails', async () => {
    const sub = mkdtempSync(path.join(dir, 'ro-'));
    writeFileSync(path.join(sub, 'a.md'), 'kept\n');
    // A folder in place of the target: the rename fails after the temp file was written.
    await expect(writeFileAtomic(sub, 'x')).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(path.join(sub, 'a.md'), 'utf8')).toBe('kept\n');
  });
});
