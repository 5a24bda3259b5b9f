/**
 * `runbook check FILE…`: lint runbooks without a cluster. Prints `file:line:col: error|warning: message` and a
 * one-line summary; exit 1 when any check is an error, 2 when a file cannot be read.
 */
import { InputError } from '../core/errors.js';
import { parseRunbook } from '../parse/index.js';
import { readRunbookFile } from '../parse/read-file.js';
import { lintRunbook, type Diagnostic } from './check-rules.js';

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Files that could not be read at all (missing, binary, not UTF-8, too large). */
  unreadable: number;
  steps: number;
}

export async function main(files: string[]): Promise<number> {
  const result = await checkFiles(files);
  const out = process.stdout;
  for (const d of result.diagnostics) out.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.write(`checked ${plural(files.length, 'runbook')}, ${plural(result.steps, 'step')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  if (result.unreadable > 0) return 2;
  return errors > 0 ? 1 : 0;
}

export async function checkFiles(files: readonly string[]): Promise<CheckResult> {
  const result: CheckResult = { diagnostics: [], unreadable: 0, steps: 0 };
  for (const file of files) {
    let text: string;
    try {
      text = await readRunbookFile(file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      result.unreadable++;
      result.diagnostics.push(located(file, error));
      continue;
    }
    try {
      const plan = parseRunbook(file, text);
      result.steps += plan.steps.length;
      for (const d of lintRunbook(plan, text.replace(/^\uFEFF/, ''))) result.diagnostics.push(d);
    } catch (error) {
      // A runbook that does not parse (bad directive, unclosed fence) is a failed check, not unreadable input.
      if (!(error instanceof InputError)) throw error;
      result.diagnostics.push(located(file, error));
    }
  }
  return result;
}

function located(file: string, error: InputError): Diagnostic {
  const p = error.position;
  return { file: p?.file ?? file, line: p?.line ?? 1, column: p?.column ?? 1, severity: 'error', message: error.message };
}
