/** Copies of runbooks/ in a temp folder, edited to drift, and the JSON report of a run over them. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo } from '../commands/run-cli.js';

export interface JsonStep {
  index: number;
  kind: string;
  status: 'passed' | 'failed' | 'skipped';
  diff?: string;
  error?: string;
  attempts: number;
  diagnostics?: string[];
}
export interface JsonRunbook {
  file: string;
  status: string;
  steps: JsonStep[];
  cleanup?: { disabled: boolean; deleted: number; left: { object: string; reason: string }[] };
  updated?: number[];
}
export interface JsonReport {
  runbooks: JsonRunbook[];
  summary: { passed: number; failed: number; skipped: number };
}

export function tempDir(prefix = 'runbook-run-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Copies runbooks/ into `dir/name` and applies `edit` to its istio.md; returns the runbook's path. */
export function istioCopy(dir: string, name: string, edit: (text: string) => string = (t) => t): string {
  const target = path.join(dir, name);
  // The istio runbook with its config, and no other runbook: a folder run of copies counts istio runs only.
  cpSync(path.join(repo, 'runbooks'), target, { recursive: true, filter: (from) => !/\/runbooks\/(?!istio\.md$)[^/]+\.md$/.test(from) });
  const file = path.join(target, 'istio.md');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  writeFileSync(file, after);
  return file;
}

/** Replaces exactly one occurrence (the first after `from`, a line number) and fails loudly if absent. */
export function replaceOnce(text: string, search: string, replacement: string, fromLine = 1): string {
  const lines = text.split('\n');
  const offset = lines.slice(0, fromLine - 1).join('\n').length;
  const at = text.indexOf(search, offset);
  if (at < 0) throw new Error(`fixture edit: ${JSON.stringify(search)} not found`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

export function readReport(file: string): JsonReport {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
}

export const failedSteps = (r: JsonRunbook) => r.steps.filter((s) => s.status === 'failed').map((s) => s.index);
