import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/update/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('replaces the content, keeps the mode and leaves no temporary file', async () => {
  const file = path.join(dir, 'book.md');
  await writeFile(file, 'old\n');
  await chmod(file, 0o640);
  await writeFileAtomic(file, 'new\r\n');
  expect(await readFile(file, 'utf8')).toBe('new\r\n');
  expect((await stat(file)).mode & 0o777).toBe(0o640);
  expect(await readdir(dir)).toEqual(['book.md']);
});

it('writes bytes as given', async () => {
  const file = path.join(dir, 'n.ipynb');
  await writeFile(file, '{}');
  await writeFileAtomic(file, Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]));
  expect([...(await readFile(file))]).toEqual([0xef, 0xbb, 0xbf, 0x7b, 0x7d]);
});

it('leaves the original alone and cleans up when the rename cannot happen', async () => {
  const target = path.join(dir, 'sub');
  await writeFile(path.join(dir, 'keep.md'), 'x');
  // A directory in the way of the rename: the write fails, nothing else changes.
  await import('node:fs/promises').then((fs) => fs.mkdir(target));
  await writeFile(path.join(target, 'inner'), 'y');
  await expect(writeFileAtomic(target, 'z')).rejects.toThrow();
  expect((await readdir(dir)).sort()).toEqual(['keep.md', 'sub']);
});
