/**
 * Loading the objects of an apply or delete, in kubectl's order: files as named, folders in lexical order
 * (`-R` descends), multi-document YAML or JSON, `List` kinds flattened.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ManifestSource } from '../core/model.js';
import { buildManifests, type BuildContext } from './kustomize.js';
import { textMemo } from './text-memo.js';

export type KubeObjectJson = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name?: string; namespace?: string; annotations?: Record<string, string> };
};

export interface Manifest {
  object: KubeObjectJson;
  /** What kubectl calls the source in its errors: the file path, the -k folder, or `STDIN`. */
  source: string;
}

export interface LoadedManifests {
  manifests: Manifest[];
  /** Errors to report in kubectl's words (bad YAML, missing kind), after the objects that did load. */
  errors: Error[];
  /** Anything a builder printed on stderr (kustomize's deprecation warnings), shown as the pipe would. */
  stderr: string;
  /** The build failed: its exit status (the pipe then feeds nothing to kubectl). */
  buildFailed?: number;
}

const manifestExtensions = new Set(['.json', '.yaml', '.yml']);

/**
 * Reads every object of `source` (its paths already substituted by the step); never throws for bad content
 * (kubectl reports it and goes on).
 */
export async function loadManifests(source: ManifestSource, ctx: BuildContext): Promise<LoadedManifests> {
  const out: LoadedManifests = { manifests: [], errors: [], stderr: '' };
  switch (source.type) {
    case 'stdin':
      parseInto(out, source.text, 'STDIN');
      return out;
    case 'build':
    case 'kustomize': {
      const { dir } = source;
      const built = await buildManifests(dir, ctx);
      out.stderr += built.stderr;
      if (built.exitCode !== 0) {
        out.buildFailed = built.exitCode;
        return out;
      }
      parseInto(out, built.stdout, source.type === 'build' ? 'STDIN' : dir);
      return out;
    }
    case 'files':
      for (const given of source.paths) {
        for (const file of await expand(path.resolve(ctx.cwd, given), given, source.recursive, true, out)) {
          try {
            parseInto(out, await readFile(file.absolute, 'utf8'), file.shown);
          } catch (error) {
            out.errors.push(new Error(`error: unable to read ${file.shown}: ${(error as Error).message}`));
          }
        }
      }
      return out;
  }
}

interface FoundFile {
  absolute: string;
  shown: string;
}

async function expand(absolute: string, shown: string, recursive: boolean, top: boolean, out: LoadedManifests): Promise<FoundFile[]> {
  let info;
  try {
    info = await stat(absolute);
  } catch {
    out.errors.push(new Error(`error: the path "${shown}" does not exist`));
    return [];
  }
  if (!info.isDirectory()) return top || manifestExtensions.has(path.extname(absolute)) ? [{ absolute, shown }] : [];
  if (!top && !recursive) return [];
  const files: FoundFile[] = [];
  for (const entry of (await readdir(absolute)).sort()) {
    files.push(...(await expand(path.join(absolute, entry), path.join(shown, entry), recursive, false, out)));
  }
  return files;
}

/** Parses multi-document YAML the way kubectl's YAML-to-JSON conversion reads it (YAML 1.1 scalars). */
export function parseDocuments(text: string, source: string): { objects: KubeObjectJson[]; errors: Error[] } {
  const objects: KubeObjectJson[] = [];
  const errors: Error[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: false })) {
    if (doc.errors.length > 0) {
      errors.push(new Error(`error: error parsing ${source}: error converting YAML to JSON: ${doc.errors[0]?.message ?? ''}`));
      continue;
    }
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(new Error(`error: error validating "${source}": error validating data: invalid object to validate`));
      continue;
    }
    const object = value as Record<string, unknown>;
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      for (const item of object.items) pushObject(item as Record<string, unknown>, source, objects, errors);
    } else pushObject(object, source, objects, errors);
  }
  return { objects, errors };
}

function pushObject(object: Record<string, unknown>, source: string, objects: KubeObjectJson[], errors: Error[]): void {
  // kubectl's schema validation (on by default) rejects these before decoding; Go prints one error bare, several in [].
  const missing = [
    ...(typeof object.apiVersion === 'string' && object.apiVersion ? [] : ['apiVersion not set']),
    ...(typeof object.kind === 'string' && object.kind ? [] : ['kind not set']),
  ];
  if (missing.length > 0) {
    const list = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
    errors.push(new Error(`error: error validating ${JSON.stringify(source)}: error validating data: ${list}; if you choose to ignore these errors, turn validation off with --validate=false`));
    return;
  }
  if (!object.metadata || typeof object.metadata !== 'object') object.metadata = {};
  objects.push(object as KubeObjectJson);
}

/** parseDocuments of a text parsed before (a build's output read by its apply, then its delete): a copy. */
const parsedBefore = textMemo((key: string) => {
  const cut = key.indexOf('\0');
  return parseDocuments(key.slice(cut + 1), key.slice(0, cut));
});

function parseInto(out: LoadedManifests, text: string, source: string): void {
  const { objects, errors } = parsedBefore(`${source}\0${text}`);
  out.manifests.push(...objects.map((object) => ({ object, source })));
  out.errors.push(...errors);
}
