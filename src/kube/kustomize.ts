/**
 * `kustomize build DIR` (or `kubectl kustomize DIR`), cached for the run by the content of every file the build
 * reads, so the build, apply and delete cells of one section build once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { textMemo } from './text-memo.js';

export interface BuildResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Which program built it, for reports: `runbook` when kustomize-native.ts built it in this process. */
  tool: 'kustomize' | 'kubectl' | 'runbook' | 'none';
}

export interface BuildContext {
  cwd: string;
  signal: AbortSignal;
  cache: Map<string, unknown>;
}

export const noToolMessage = 'error: cannot build kustomizations: neither `kustomize` nor `kubectl` was found on PATH; install one of them';

/** Builds `dir` (relative to ctx.cwd) once per run and content; concurrent callers share one build. */
export async function buildManifests(dir: string, ctx: BuildContext): Promise<BuildResult> {
  const absolute = path.resolve(ctx.cwd, dir);
  const key = `kube:build:${absolute}:${contentHash(absolute)}`;
  let pending = ctx.cache.get(key) as Promise<BuildResult> | undefined;
  if (!pending) {
    pending = runBuild(dir, ctx);
    ctx.cache.set(key, pending);
    // An interrupted build must not be served to later steps.
    pending.then((r) => r.exitCode === 0 || ctx.cache.delete(key), () => ctx.cache.delete(key));
  }
  return pending;
}

async function runBuild(dir: string, ctx: BuildContext): Promise<BuildResult> {
  // A simple kustomization is built here, as kustomize prints it; RUNBOOK_KUSTOMIZE=tool always runs the tool.
  if (process.env.RUNBOOK_KUSTOMIZE !== 'tool') {
    const { buildNatively } = await import('./kustomize-native.js');
    const stdout = buildNatively(path.resolve(ctx.cwd, dir));
    if (stdout !== undefined) return { stdout, stderr: '', exitCode: 0, tool: 'runbook' };
  }
  const tool = await findTool();
  if (tool === 'none') return { stdout: '', stderr: `${noToolMessage}\n`, exitCode: 127, tool };
  // zx/core has `$` without the globals and vendored extras of the full entry (a faster import).
  const { $ } = await import('zx/core');
  const sh = $({ cwd: ctx.cwd, nothrow: true, quiet: true, signal: ctx.signal, verbose: false });
  const out = tool === 'kustomize' ? await sh`kustomize build ${dir}` : await sh`kubectl kustomize ${dir}`;
  return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode ?? 1, tool };
}

/** `kustomize` when on PATH, else `kubectl`, else none. */
export async function findTool(): Promise<'kustomize' | 'kubectl' | 'none'> {
  for (const name of ['kustomize', 'kubectl'] as const) {
    if (await onPath(name)) return name;
  }
  return 'none';
}

async function onPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      await access(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this PATH entry.
    }
  }
  return false;
}

const kustomizationNames = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * A hash of every file under `dir`, plus every path outside it that a kustomization names (`../base`),
 * followed transitively. Remote bases are not hashed: within one run they do not change.
 */
export function contentHash(dir: string): string {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  // Synchronous: a kustomization is a few small files, and each await on libuv's thread pool cost milliseconds
  // under load; every build, apply and delete of a folder hashes it again.
  const visit = (target: string): void => {
    if (seen.has(target)) return;
    seen.add(target);
    const info = statSync(target, { throwIfNoEntry: false });
    if (!info) {
      hash.update(`missing:${target}\n`);
      return;
    }
    if (info.isDirectory()) {
      const entries = readdirSync(target).filter((e) => e !== '.git').sort();
      for (const entry of entries) visit(path.join(target, entry));
      return;
    }
    const content = readFileSync(target);
    hash.update(`${target}\n${content.length}\n`).update(content);
    if (kustomizationNames.has(path.basename(target))) {
      for (const ref of referencedPaths(content.toString('utf8'))) {
        const resolved = path.resolve(path.dirname(target), ref);
        if (!resolved.startsWith(`${dir}${path.sep}`) && resolved !== dir) visit(resolved);
      }
    }
  };
  visit(dir);
  return hash.digest('hex').slice(0, 32);
}

/** Every string value in a kustomization that could be a local path (resources, bases, patches, generators). */
const referencedPaths = textMemo((text: string): string[] => {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      // `files: [key=path]` in generators names a path after `=`.
      const candidate = value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
      if (!/^[a-z]+:\/\//i.test(candidate) && !candidate.includes('\n') && candidate.startsWith('..')) found.push(candidate);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const doc of parseAllDocuments(text)) {
    if (!('errors' in doc) || doc.errors.length === 0) walk(doc.toJS());
  }
  return found;
});
