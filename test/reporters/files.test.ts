import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanOut } from '../../src/runner/fanout.js';
import { createJsonReporter } from '../../src/reporters/json.js';
import { createJunitReporter, junitXml } from '../../src/reporters/junit.js';
import { writeFileAtomic } from '../../src/core/write-atomic.js';
import { failingRunbook, runReport } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-reports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('json reporter', () => {
  it('writes the run report with the documented fields, redacted by the fan-out', async () => {
    const file = path.join(dir, 'report.json');
    const runbook = failingRunbook();
    runbook.steps[0]!.actual = 'token: eyJhbGciOiJSUzI1NiJ9.payload.sig';
    runbook.steps[1]!.command = 'echo $API_KEY; echo supersecret';
    await fanOut([createJsonReporter(file)], ['supersecret']).onRunEnd(runReport([runbook]));
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(json.summary).toEqual({ passed: 3, failed: 1, updated: 0, skipped: 9, durationMs: 31_234 });
    expect(json.runbooks).toHaveLength(1);
    expect(json.runbooks[0].file).toBe('runbooks/istio.md');
    expect(json.runbooks[0].status).toBe('failed');
    const wait = json.runbooks[0].steps[3];
    for (const key of ['index', 'kind', 'line', 'command', 'status', 'durationMs', 'attempts', 'expected', 'actual', 'diff']) {
      expect(wait).toHaveProperty(key);
    }
    expect(wait).toMatchObject({ index: 3, kind: 'wait', line: 46, failureLine: 48, status: 'failed', durationMs: 30_000, attempts: 1, exitCode: 1 });
    // A version first, so readers can tell the shape; a step that never ran has no exit status.
    expect(Object.keys(json)[0]).toBe('schemaVersion');
    expect(json.schemaVersion).toBe(1);
    const skipped = json.runbooks[0].steps[4];
    expect(skipped.status).toBe('skipped');
    expect(skipped).not.toHaveProperty('exitCode');
    expect(json.runbooks[0].steps[0]).toHaveProperty('exitCode', 0);
    expect(json.runbooks[0].steps[0].actual).toBe('token: [REDACTED]');
    expect(json.runbooks[0].steps[1].command).toBe('echo $API_KEY; echo [REDACTED]');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('leaves complete files when concurrent runs write reports into the same folder', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      writeFileAtomic(path.join(dir, i % 2 ? 'same.json' : `r${i}.json`), JSON.stringify({ i, pad: 'x'.repeat(50_000 + i) })),
    );
    await Promise.all(writes);
    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of files) JSON.parse(await readFile(path.join(dir, f), 'utf8'));
    expect(files).toContain('same.json');
    expect(files).toHaveLength(11);
  });

  it('replaces an existing report whole and cleans up its temporary file when it cannot write', async () => {
    const file = path.join(dir, 'r.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    await expect(writeFileAtomic(path.join(dir, 'missing', 'r.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual(['r.json']);
  });
});

describe('junit reporter', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  it('writes one testsuite per runbook and 13 testcases for a 13-step report, valid XML', async () => {
    const file = path.join(dir, 'junit.xml');
    await createJunitReporter(file, { now: () => new Date('2026-11-27T03:00:00.123Z') }).onRunEnd!(runReport([failingRunbook()]));
    const xml = await readFile(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(1);
    const suite = suites[0];
    expect(suite).toMatchObject({ name: 'runbooks/istio.md', tests: '13', failures: '1', errors: '0', skipped: '9', time: '31.234', timestamp: '2026-11-27T03:00:00' });
    expect(suite.testcase).toHaveLength(13);
    expect(suite.testcase[1]).toMatchObject({ name: 'Istio Single Model Example [1] build', classname: 'runbooks/istio.md', file: 'runbooks/istio.md', line: '22', time: '0.121' });
    // A failure points at the first recorded line that differs (48), not at the command (46).
    expect(suite.testcase[3]).toMatchObject({ file: 'runbooks/istio.md', line: '48' });
    expect(suite.testcase[0].name).toBe('[0] capture');
    const failed = suite.testcase[3];
    expect(failed.failure.message).toBe('timed out after 30s');
    expect(failed.failure['#text']).toContain('- model.mlops.seldon.io/iris condition met');
    expect(failed.failure['#text']).toContain('Event Warning FailedScheduling');
    expect(failed['system-out']).toBe('error: timed out waiting for the condition on models/iris');
    expect(suite.testcase[4].skipped).toEqual({ message: 'fail-fast' });
    expect(doc.testsuites).toMatchObject({ tests: '13', failures: '1', skipped: '9' });
  });

  it('escapes markup and carries control characters that XML 1.0 forbids', () => {
    const runbook = failingRunbook();
    runbook.steps[3]!.diff = '- <a href="x">&amp;</a> ]]>\n+ \x1b[31mred\x1b[0m \x00\x07\x0b bell \uD800 lone';
    runbook.steps[3]!.error = 'bad "quote" & <tag>\nsecond line';
    runbook.steps[2]!.actual = 'tab\there\r\nCRLF';
    const xml = junitXml(runReport([runbook]));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const failure = doc.testsuites.testsuite[0].testcase[3].failure;
    expect(failure.message).toBe('bad "quote" & <tag>');
    expect(failure['#text']).toContain('- <a href="x">&amp;</a> ]]>');
    expect(failure['#text']).toContain('+ red \\x00\\x07\\x0B bell \uFFFD lone');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it('reports a runbook that could not run as an error testcase, and what cleanup left', () => {
    const xml = junitXml(
      runReport([
        { file: 'a.md', status: 'failed', steps: [], durationMs: 0, error: 'context "prod" does not match' },
        { ...failingRunbook(), cleanup: { disabled: false, deleted: 1, left: [{ object: 'model/iris', reason: 'forbidden' }] } },
      ]),
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const [a, b] = doc.testsuites.testsuite;
    expect(a).toMatchObject({ name: 'a.md', tests: '1', errors: '1' });
    expect(a.testcase[0].error.message).toBe('context "prod" does not match');
    expect(b['system-out']).toContain('model/iris: forbidden');
    expect(doc.testsuites).toMatchObject({ tests: '14', errors: '1' });
  });

  it('carries what --no-cleanup left and the command that deletes it', () => {
    const runbook = failingRunbook();
    runbook.cleanup = { disabled: true, deleted: 0, left: [{ object: 'model/iris -n seldon-mesh', reason: 'not deleted (--no-cleanup)' }], deleteCommand: 'kubectl delete -n seldon-mesh model/iris' };
    const doc = parser.parse(junitXml(runReport([runbook])));
    expect(doc.testsuites.testsuite[0]['system-out']).toBe(
      'cleanup: skipped (--no-cleanup)\nmodel/iris -n seldon-mesh: not deleted (--no-cleanup)\ndelete with: kubectl delete -n seldon-mesh model/iris',
    );
  });

  it('reports the step an interrupt stopped as skipped, not as a failure, and marks the run interrupted', () => {
    const runbook = failingRunbook();
    const stopped = runbook.steps[3]!;
    Object.assign(stopped, { error: 'interrupted (SIGINT)', diff: undefined, diagnostics: undefined, failureLine: undefined });
    for (const s of runbook.steps.slice(4)) s.skipReason = 'interrupted';
    const xml = junitXml(runReport([runbook], true));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const suite = doc.testsuites.testsuite[0];
    expect(suite.testcase[3].failure).toBeUndefined();
    expect(suite.testcase[3].skipped).toEqual({ message: 'interrupted (SIGINT)' });
    expect(suite.testcase[4].skipped).toEqual({ message: 'interrupted' });
    expect(suite).toMatchObject({ failures: '0', skipped: '10' });
    expect(suite.properties.property).toContainEqual({ name: 'interrupted', value: 'true' });
    expect(doc.testsuites).toMatchObject({ failures: '0', skipped: '10' });
    // A step that really failed before the interrupt stays a failure.
    const drift = failingRunbook();
    expect(parser.parse(junitXml(runReport([drift], true))).testsuites.testsuite[0].testcase[3].failure.message).toBe('timed out after 30s');
  });
});
