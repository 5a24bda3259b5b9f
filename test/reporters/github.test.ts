import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanOut } from '../../src/runner/fanout.js';
import { createGithubReporter, escapeData, escapeProperty } from '../../src/reporters/github.js';
import { failingRunbook, istioSteps, passed, playFailingRun, runReport } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-gh-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(env: Record<string, string> = {}, secrets: string[] = []) {
  let out = '';
  // Reporters get events through the runner's fan-out, which redacts them.
  const reporter = fanOut([createGithubReporter({ stdout: { write: (t: string) => (out += t) }, env, cwd: '/work/repo' })], secrets);
  return { reporter, out: () => out };
}

/** Undoes the workflow-command escaping, as the runner on GitHub's side does. */
const unescape = (text: string) => text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('github reporter', () => {
  it('escapes % CR LF in messages and also : , in properties', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('a: b, 100%')).toBe('a%3A b%2C 100%25');
  });

  it('annotates each failed step with file, line and title, the message holding the diff', async () => {
    const { reporter, out } = setup();
    await playFailingRun(reporter);
    const lines = out().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const match = /^::error file=([^,]*),line=(\d+),title=([^:]*)::(.*)$/.exec(lines[0]!)!;
    expect(match).not.toBeNull();
    expect(match[1]).toBe('runbooks/istio.md');
    // The first recorded line that differs (48), not the command's line (46).
    expect(match[2]).toBe('48');
    expect(unescape(match[3]!)).toBe('runbook: Istio Single Model Example [3] wait failed');
    expect(unescape(match[4]!)).toBe(
      'timed out after 30s\n\n- model.mlops.seldon.io/iris condition met\n+ error: timed out waiting for the condition on models/iris\n\n' +
        'Model/iris ModelReady=False: ScheduleFailed (no matching servers)\nEvent Warning FailedScheduling: no server for requirements [sklearn]',
    );
  });

  it('makes absolute paths relative to the workspace and annotates runbooks that could not run', () => {
    const { reporter, out } = setup({ GITHUB_WORKSPACE: '/work/repo' }, ['hunter22']);
    const step = istioSteps[4]!;
    reporter.onStepEnd?.('/work/repo/docs/a.md', step, passed(step, { status: 'failed', error: 'exit status 22: password hunter22' }));
    reporter.onStepEnd?.('/work/repo/docs/a.md', step, passed(step));
    reporter.onRunbookEnd?.({ file: '/work/repo/docs/b.md', status: 'failed', steps: [], durationMs: 1, error: 'cluster unreachable, 100%' });
    const lines = out().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=docs\/a\.md,line=58,title=/);
    expect(lines[0]).toContain('password [REDACTED]');
    expect(lines[1]).toBe('::error file=docs/b.md,title=runbook%3A could not run::cluster unreachable, 100%25');
  });

  it('appends a Markdown job summary: a table of runbooks, then failed steps with diffs in fences', async () => {
    const summary = path.join(dir, 'summary.md');
    await writeFile(summary, 'earlier step\n');
    const { reporter } = setup({ GITHUB_STEP_SUMMARY: summary });
    const runbook = failingRunbook();
    runbook.steps[3]!.diff = '- a\n+ ```\n+ b';
    const ok = { ...failingRunbook(), file: 'runbooks/pipe|name.md', status: 'passed' as const, steps: [passed(istioSteps[0]!)], cleanup: undefined };
    await reporter.onRunEnd(runReport([runbook, ok]));
    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('earlier step\n### runbook: 4 passed, 1 failed, 9 skipped in 1m02s\n')).toBe(true);
    expect(md).toContain('| Runbook | Result | Passed | Failed | Skipped | Time |');
    expect(md).toContain('| runbooks/istio.md | ❌ failed | 3 | 1 | 9 | 31s |');
    expect(md).toContain('| runbooks/pipe\\|name.md | ✅ passed | 1 | 0 | 0 | 31s |');
    expect(md).toContain('#### ❌ runbooks/istio.md:48 Istio Single Model Example [3] wait');
    // The diff holds a ``` run, so its fence is longer.
    expect(md).toContain('````diff\n- a\n+ ```\n+ b\n````');
    expect(md).toContain('```sh\nkubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh\n```');
  });

  it('lists in the job summary what cleanup left and the command that deletes it, also with --no-cleanup', async () => {
    const summary = path.join(dir, 'summary.md');
    const { reporter } = setup({ GITHUB_STEP_SUMMARY: summary });
    const runbook = failingRunbook();
    runbook.cleanup = { disabled: true, deleted: 0, left: [{ object: 'model/iris -n seldon-mesh', reason: 'not deleted (--no-cleanup)' }], deleteCommand: 'kubectl delete -n seldon-mesh model/iris' };
    await reporter.onRunEnd(runReport([runbook]));
    const md = await readFile(summary, 'utf8');
    expect(md).toContain('runbooks/istio.md: cleanup: skipped (--no-cleanup)\n\n- model/iris -n seldon-mesh: not deleted (--no-cleanup)\n');
    expect(md).toContain('Delete what was left with:\n\n```sh\nkubectl delete -n seldon-mesh model/iris\n```');
  });

  it('writes no summary without GITHUB_STEP_SUMMARY', async () => {
    const { reporter, out } = setup();
    await reporter.onRunEnd(runReport([failingRunbook()]));
    expect(out()).toBe('');
  });
});
