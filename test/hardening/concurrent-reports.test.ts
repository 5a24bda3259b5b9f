/**
 * Runs that write reports into the same folder at the same time, even to the same file names, never corrupt
 * each other: every file is valid JSON or XML, and all of it comes from one run.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../commands/run-cli.js';
import { readReport, tempDir } from '../runner/fixtures.js';
import { runSignalled } from './harness.js';

/** Each step prints the run's marker, so a report mixing two runs shows two markers. */
function markerRunbook(steps: number): string {
  const parts: string[] = [];
  for (let i = 0; i < steps; i++) parts.push(`\`\`\`sh\n$ echo "$MARK-${i}"\n\`\`\`\n\n\`\`\`output\n[..]-${i}\n\`\`\`\n`);
  return parts.join('\n');
}

const RUNS = 6;

describe('concurrent runs writing reports to one folder', () => {
  it('leave whole JSON and JUnit files, each from a single run', async () => {
    ensureBuilt();
    const dir = tempDir('runbook-concurrent-reports-');
    const runbook = path.join(dir, 'marks.md');
    writeFileSync(runbook, markerRunbook(40));
    const runs = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        runSignalled(
          ['run', runbook, '--set', `MARK=run${i}`, '--reporter', 'plain', '--reporter', 'json=same.json', '--reporter', 'junit=same.xml', '--reporter', `json=own-${i}.json`],
          { cwd: dir },
        ),
      ),
    );
    for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);

    const marks = (text: string) => new Set([...text.matchAll(/run(\d+)-\d+/g)].map((m) => m[1]));
    const json = readFileSync(path.join(dir, 'same.json'), 'utf8');
    const report = readReport(path.join(dir, 'same.json'));
    expect(report.summary.passed).toBe(40);
    expect(marks(json).size).toBe(1);

    const xml = readFileSync(path.join(dir, 'same.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml) as {
      testsuites: { testsuite: { testcase: unknown[] } };
    };
    expect(doc.testsuites.testsuite.testcase).toHaveLength(40);
    expect(marks(xml).size).toBe(1);

    for (let i = 0; i < RUNS; i++) {
      const own = readFileSync(path.join(dir, `own-${i}.json`), 'utf8');
      expect([...marks(own)]).toEqual([String(i)]);
    }
    // No temporary file is left behind by any writer.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
