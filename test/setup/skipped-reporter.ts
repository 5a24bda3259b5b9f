/**
 * A vitest reporter that adds one thing to the default one: after the run, which tests were skipped for a
 * missing tool and why (test/tools.ts puts the reason in their names, which the default reporter does not
 * print for skipped tests), grouped by reason.
 */
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const REASON = /\[skipped: ([^\]]+)\]/;

export default class SkippedForTools implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, Map<string, number>>();
    for (const module of modules) {
      for (const test of module.children.allTests('skipped')) {
        const reason = REASON.exec(test.fullName)?.[1];
        if (reason === undefined) continue;
        const files = byReason.get(reason) ?? new Map<string, number>();
        const file = path.relative(process.cwd(), module.moduleId);
        files.set(file, (files.get(file) ?? 0) + 1);
        byReason.set(reason, files);
      }
    }
    if (byReason.size === 0) return;
    const lines = ['', 'Skipped for missing tools (RUNBOOK_REQUIRE_TOOLS=1 fails them instead):'];
    for (const [reason, files] of byReason) {
      const count = [...files.values()].reduce((a, b) => a + b, 0);
      lines.push(`  ${reason}: ${count} test${count === 1 ? '' : 's'} in ${[...files].map(([f, n]) => `${f} (${n})`).join(', ')}`);
    }
    console.log(lines.join('\n'));
  }
}
