import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writefile } from '../../steps/writefile.js';
import type { StepContext } from '../../src/core/step.js';
import { closeCache, stepContext } from './context.js';

function context(extra: Partial<StepContext> = {}): StepContext & { close(): Promise<void> } {
  const cache = new Map<string, unknown>();
  return {
    ...stepContext({ cwd: mkdtempSync(path.join(tmpdir(), 'runbook-writefile-')), cache, ...extra }),
    // What the runner does when the runbook ends.
    close: () => closeCache(cache),
  };
}

describe('writefile step', () => {
  it('writes, overwrites and appends relative to the runbook, printing what IPython prints', async () => {
    const ctx = context();
    const file = path.join(ctx.cwd, 'model.yaml');
    expect(await writefile.run({ path: 'model.yaml', content: 'a: 1', append: false }, ctx)).toMatchObject({ stdout: 'Writing model.yaml\n', exitCode: 0 });
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n');
    expect(await writefile.run({ path: 'model.yaml', content: 'b: 2\n', append: false }, ctx)).toMatchObject({ stdout: 'Overwriting model.yaml\n' });
    expect(await writefile.run({ path: 'model.yaml', content: 'c: 3\n', append: true }, ctx)).toMatchObject({ stdout: 'Appending to model.yaml\n' });
    expect(readFileSync(file, 'utf8')).toBe('b: 2\nc: 3\n');
    await ctx.close();
    expect(existsSync(file)).toBe(false);
  });

  it('appending to a file that does not exist writes it, as IPython does', async () => {
    const ctx = context();
    expect(await writefile.run({ path: 'new.txt', content: 'x\n', append: true }, ctx)).toMatchObject({ stdout: 'Writing new.txt\n' });
    await ctx.close();
  });

  it('gives a file that existed before the run its content back when the runbook ends', async () => {
    const ctx = context();
    const file = path.join(ctx.cwd, 'kept.txt');
    writeFileSync(file, 'original\n');
    await writefile.run({ path: 'kept.txt', content: 'one\n', append: false }, ctx);
    await writefile.run({ path: 'kept.txt', content: 'two\n', append: true }, ctx);
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    await ctx.close();
    expect(readFileSync(file, 'utf8')).toBe('original\n');
  });

  it('refuses a path outside the runbook folder, through .. or a symlink, unless writes outside are allowed', async () => {
    const ctx = context();
    const outside = mkdtempSync(path.join(tmpdir(), 'runbook-outside-'));
    symlinkSync(outside, path.join(ctx.cwd, 'link'));
    for (const target of ['../escape.txt', path.join(outside, 'abs.txt'), 'link/through.txt']) {
      const out = await writefile.run({ path: target, content: 'x', append: false }, ctx);
      expect(out.exitCode).toBe(1);
      expect(out.stderr).toContain('outside the runbook');
      expect(out.stderr).toContain('--allow-writes-outside');
    }
    const allowed = context({ cwd: ctx.cwd, allowWritesOutside: true });
    expect(await writefile.run({ path: 'link/through.txt', content: 'x', append: false }, allowed)).toMatchObject({ exitCode: 0 });
    expect(readFileSync(path.join(outside, 'through.txt'), 'utf8')).toBe('x\n');
    await allowed.close();
    expect(existsSync(path.join(outside, 'through.txt'))).toBe(false);
  });

  it('accepts a subfolder that exists, and says why when the folder does not', async () => {
    const ctx = context();
    mkdirSync(path.join(ctx.cwd, 'models'));
    expect(await writefile.run({ path: 'models/a.yaml', content: 'a', append: false }, ctx)).toMatchObject({ exitCode: 0, stdout: 'Writing models/a.yaml\n' });
    const missing = await writefile.run({ path: 'nowhere/a.yaml', content: 'a', append: false }, ctx);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/cannot write nowhere\/a\.yaml: .*ENOENT/);
    await ctx.close();
  });
});
