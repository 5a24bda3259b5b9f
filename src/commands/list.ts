/**
 * `runbook list PATH… [--json]`: the plan of runbooks (folders expanded), as aligned tables or as JSON, with the
 * files found in folders that are not runbooks and why.
 */
import type { Plan, Step } from '../core/model.js';
import { loadRunbook } from '../parse/index.js';
import { candidates, whyIgnored, type IgnoredFile } from '../parse/discover.js';
import { optionTokens } from '../parse/step-options.js';
import { decideColor } from '../ui/terminal.js';
import { createStyle, type Style } from '../ui/style.js';
import { firstLine } from '../ui/text.js';
import { truncate } from '../ui/width.js';

export interface ListOptions {
  json?: boolean;
}

export async function main(paths: string | string[], options: ListOptions = {}): Promise<number> {
  const given = typeof paths === 'string' ? [paths] : paths;
  const found = await candidates(given);
  const plans: Plan[] = [];
  const ignored: IgnoredFile[] = [];
  for (const c of found) {
    const plan = await loadRunbook(c.file);
    const reason = c.named ? undefined : whyIgnored(plan);
    if (reason === undefined) plans.push(plan);
    else ignored.push({ file: c.file, reason });
  }
  const out = process.stdout;
  // One named file keeps the plan's own shape; folders and several files list every plan.
  const single = found.length === 1 && found[0]!.named ? plans[0] : undefined;
  if (options.json) {
    const json = single ? planJson(single) : { runbooks: plans.map(planJson), ignored };
    out.write(JSON.stringify(json, null, 2) + '\n');
    return 0;
  }
  const style = createStyle(decideColor({ isTTY: Boolean(out.isTTY), env: process.env }));
  const width = out.isTTY && out.columns ? out.columns : 100;
  out.write(plans.map((p) => planTable(p, width, style)).join('\n'));
  if (ignored.length > 0) out.write((plans.length > 0 ? '\n' : '') + ignoredLines(ignored, width, style));
  return 0;
}

/** `ignored  FILE  reason`, one line per file found in a folder that is not a runbook. */
export function ignoredLines(ignored: readonly IgnoredFile[], width: number, style: Style): string {
  const w = Math.max(...ignored.map((i) => i.file.length));
  return ignored.map((i) => style.dim(truncate(`ignored  ${i.file.padEnd(w)}  ${i.reason}`, Math.max(20, width)))).join('\n') + '\n';
}

/** The JSON form: the step fields every consumer needs first, then the rest. */
export function planJson(plan: Plan) {
  return {
    file: plan.file,
    format: plan.format,
    frontMatter: plan.frontMatter,
    steps: plan.steps.map((s: Step) => ({
      index: s.index,
      kind: s.kind,
      line: s.line,
      command: s.command,
      expected: s.expected ?? null,
      // The cell whose recording the step is compared with (several steps may share one; the last holds it).
      cell: s.cell?.index ?? null,
      args: s.args,
      options: s.options,
      heading: s.heading ?? null,
      note: s.note ?? null,
      prose: s.prose ?? null,
    })),
  };
}

/** One line per step: index, cell, kind, file:line, the command's first line cut to `width` columns. */
export function planTable(plan: Plan, width: number, style: Style): string {
  if (plan.steps.length === 0) return style.dim(`${plan.file}: no steps`) + '\n';
  const rows = plan.steps.map((s) => ({
    index: String(s.index),
    cell: s.cell ? String(s.cell.index) : '',
    kind: s.kind,
    where: `${s.file}:${s.line}`,
    flags: flags(s),
    // Control characters (tabs, escapes) would break the columns. Only what can show is measured: the display
    // width of a 10 MB line took half a second.
    // eslint-disable-next-line no-control-regex
    command: firstLine(s.command.slice(0, 4096)).replace(/[\x00-\x1f\x7f]/g, ' '),
  }));
  const w = {
    index: Math.max(1, ...rows.map((r) => r.index.length)),
    cell: Math.max(4, ...rows.map((r) => r.cell.length)),
    kind: Math.max(4, ...rows.map((r) => r.kind.length)),
    where: Math.max(8, ...rows.map((r) => r.where.length)),
  };
  const lead = w.index + w.cell + w.kind + w.where + 8;
  const lines = [style.dim(`${'#'.padStart(w.index)}  ${'CELL'.padStart(w.cell)}  ${'KIND'.padEnd(w.kind)}  ${'LOCATION'.padEnd(w.where)}  COMMAND`)];
  for (const r of rows) {
    const flagText = r.flags ? `[${r.flags}] ` : '';
    const command = truncate(flagText + r.command, Math.max(10, width - lead));
    const shownFlags = flagText ? style.yellow(command.slice(0, flagText.length)) + command.slice(flagText.length) : command;
    lines.push(`${r.index.padStart(w.index)}  ${style.dim(r.cell.padStart(w.cell))}  ${style.cyan(r.kind.padEnd(w.kind))}  ${style.dim(r.where.padEnd(w.where))}  ${shownFlags}`);
  }
  return lines.join('\n') + '\n';
}

/** The options worth seeing in the table, spelled as in a directive. */
function flags(step: Step): string {
  return optionTokens(step.options).join(' ');
}
