/**
 * What `check` finds inside the files steps read: a manifest given to `kubectl apply -f` must parse as YAML, and a
 * kustomization must parse and list only files and folders that exist (and parse), so a typo in either fails
 * here rather than halfway through a run. Problems are located in those files, `file:line:col`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Node } from 'yaml';
import type { Diagnostic } from './check-rules.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Larger files are not parsed: a manifest of megabytes is generated, not written by hand. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\/|^git@/i;

/** Keys of a kustomization whose values are paths, and whether each is a list of them. */
const PATH_LISTS = ['resources', 'components', 'bases', 'crds', 'patchesStrategicMerge'] as const;

/** Checks each file and folder once per `check` of a runbook, however many steps read it. */
export class ManifestChecker {
  private readonly seen = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];

  /** `target` (a file or a folder of manifests, as the runbook names it from its folder), read by the step `via`. */
  manifests(target: string, recursive: boolean, via: string): void {
    const info = stat(target);
    if (info === 'dir') {
      for (const file of manifestFiles(target, recursive)) this.yamlFile(file, via);
    } else if (info === 'file') {
      this.yamlFile(target, via);
    }
  }

  /** A kustomization folder: its file parses, and what it lists exists (folders are kustomizations in turn). */
  kustomization(dir: string, via: string): void {
    const name = KUSTOMIZATION_FILES.find((k) => stat(path.join(dir, k)) === 'file');
    if (name === undefined) return;
    const file = path.join(dir, name);
    if (!this.first(file)) return;
    const source = read(file);
    if (source === undefined) return;
    const lines = new LineCounter();
    const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, logLevel: 'error' });
    const at = (offset: number) => lines.linePos(offset);
    const bad = doc.errors[0];
    if (bad) return this.report(file, at(bad.pos[0]), `YAML does not parse: ${firstLine(bad.message)} (${via})`);
    if (!isMap(doc.contents)) return;
    const entries: { key: string; node: Node }[] = [];
    for (const key of PATH_LISTS) {
      const list = doc.contents.get(key, true);
      if (isSeq(list)) for (const item of list.items) if (isScalar(item)) entries.push({ key, node: item });
    }
    // patches / patchesJson6902: `- path: FILE`; generators: `files: [KEY=FILE]`, `envs: [FILE]`, `env: FILE`.
    for (const key of ['patches', 'patchesJson6902', 'configMapGenerator', 'secretGenerator']) {
      const list = doc.contents.get(key, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (!isMap(item)) continue;
        for (const field of ['path', 'env']) {
          const node = item.get(field, true);
          if (isScalar(node)) entries.push({ key: `${key} ${field}`, node });
        }
        for (const field of ['files', 'envs']) {
          const files = item.get(field, true);
          if (isSeq(files)) for (const f of files.items) if (isScalar(f)) entries.push({ key: `${key} ${field}`, node: f });
        }
      }
    }
    for (const { key, node } of entries) {
      let value = String((node as { value?: unknown }).value ?? '');
      if (key.endsWith(' files')) value = value.slice(value.indexOf('=') + 1);
      // An inline patch (YAML in the list) or a remote base is not a local path.
      if (value === '' || value.includes('\n') || REMOTE.test(value)) continue;
      const where = at(node.range?.[0] ?? 0);
      const target = path.join(dir, value);
      const kind = stat(target);
      if (kind === undefined) {
        this.report(file, where, `${key}: ${value} does not exist (${via})`);
      } else if (kind === 'dir') {
        if (key.startsWith('resources') || key === 'components' || key === 'bases') {
          if (!KUSTOMIZATION_FILES.some((k) => stat(path.join(target, k)) === 'file')) this.report(file, where, `${key}: ${value} has no kustomization.yaml (${via})`);
          else this.kustomization(target, via);
        }
      } else if (MANIFEST_FILE.test(value) && !key.includes('Generator')) {
        this.yamlFile(target, via);
      }
    }
  }

  private yamlFile(file: string, via: string): void {
    if (!this.first(file)) return;
    const source = read(file);
    if (source === undefined) return;
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(source, { lineCounter: lines, prettyErrors: false, logLevel: 'error' })) {
      const bad = doc.errors[0];
      if (!bad) continue;
      this.report(file, lines.linePos(bad.pos[0]), `YAML does not parse: ${firstLine(bad.message)} (${via})`);
      return;
    }
  }

  private first(file: string): boolean {
    const key = path.resolve(file);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private report(file: string, at: { line: number; col: number }, message: string): void {
    this.diagnostics.push({ file, line: at.line, column: at.col, severity: 'error', message });
  }
}

function stat(p: string): 'file' | 'dir' | undefined {
  try {
    const info = statSync(p);
    return info.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

function read(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function manifestFiles(dir: string, recursive: boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) for (const f of manifestFiles(full, true)) out.push(f);
    } else if (MANIFEST_FILE.test(e.name)) {
      out.push(full);
    }
  }
  return out;
}

/** yaml's first message line, without the position it appends (the diagnostic has its own). */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
