/**
 * `runbook check PATH…`: lint runbooks (folders expanded) without a cluster. Prints `file:line:col: error|warning: message` and a
 * one-line summary; exit 1 when any check is an error, 2 when a file cannot be read.
 */
import { InputError } from '../core/errors.js';
import type { Plan } from '../core/model.js';
import { parseRunbook } from '../parse/index.js';
import { readRunbookFile } from '../parse/read-file.js';
import { candidates, whyIgnored, type IgnoredFile } from '../parse/discover.js';
import { lintRunbook, type Diagnostic } from './check-rules.js';

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Files found in folders that are not runbooks. */
  ignored: IgnoredFile[];
  /** Runbooks checked. */
  runbooks: number;
  /** Files that could not be read at all (missing, binary, not UTF-8, too large). */
  unreadable: number;
  steps: number;
  /** Cells holding those steps: the units whose recordings are compared. */
  cells: number;
}

export async function main(paths: string[]): Promise<number> {
  const result = await checkFiles(paths);
  const out = process.stdout;
  for (const d of result.diagnostics) out.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
  for (const i of result.ignored) out.write(`${i.file}: ignored: ${i.reason}\n`);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const ignored = result.ignored.length > 0 ? ` (${plural(result.ignored.length, 'file')} ignored)` : '';
  out.write(`checked ${plural(result.runbooks, 'runbook')}, ${plural(result.steps, 'step')}${result.cells !== result.steps ? ` in ${plural(result.cells, 'cell')}` : ''}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${ignored}\n`);
  if (result.unreadable > 0) return 2;
  return errors > 0 ? 1 : 0;
}

export async function checkFiles(paths: readonly string[]): Promise<CheckResult> {
  const result: CheckResult = { diagnostics: [], ignored: [], runbooks: 0, unreadable: 0, steps: 0, cells: 0 };
  for (const { file, named } of await candidates(paths)) {
    let text: string;
    try {
      text = await readRunbookFile(file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      result.runbooks++;
      result.unreadable++;
      result.diagnostics.push(located(file, error));
      continue;
    }
    let plan: Plan;
    const problems: InputError[] = [];
    try {
      plan = parseRunbook(file, text, (problem) => problems.push(problem));
    } catch (error) {
      // A runbook that does not parse (unclosed fence, bad front matter) is a failed check, not unreadable input.
      if (!(error instanceof InputError)) throw error;
      result.runbooks++;
      for (const d of [...problems, error].map((p) => located(file, p))) result.diagnostics.push(d);
      continue;
    }
    // A bad directive says the file is meant as a runbook, even if it has no step left.
    const reason = named || problems.length > 0 ? undefined : whyIgnored(plan);
    if (reason !== undefined) {
      result.ignored.push({ file, reason });
      continue;
    }
    result.runbooks++;
    result.steps += plan.steps.length;
    result.cells += new Set(plan.steps.map((s) => s.cell?.index ?? `step ${s.index}`)).size;
    const found = problems.map((p) => located(file, p));
    for (const d of lintRunbook(plan, text.replace(/^\uFEFF/, ''))) found.push(d);
    // The runbook's own lines in order, then what its steps found in the files they read (manifests).
    const own = found.filter((d) => d.file === file).sort((a, b) => a.line - b.line || a.column - b.column);
    for (const d of [...own, ...found.filter((d) => d.file !== file)]) result.diagnostics.push(d);
  }
  return result;
}

function located(file: string, error: InputError): Diagnostic {
  const p = error.position;
  return { file: p?.file ?? file, line: p?.line ?? 1, column: p?.column ?? 1, severity: 'error', message: error.message };
}
