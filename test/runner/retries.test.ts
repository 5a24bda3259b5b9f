/**
 * Read-only steps are retried only when another attempt can change the answer (transient.ts), and the progress
 * says why and how much retry budget is left. Failures point at the first recorded line that differs.
 */
import { describe, expect, it } from 'vitest';
import type { StepOutput } from '../../src/core/step.js';
import { failureLine } from '../../src/runner/step.js';
import { md, ok, planFrom, runPlan, type HarnessRun } from './harness.js';

const http = (status: number, body: string, exitCode = 0): StepOutput => ({
  stdout: body,
  stderr: '',
  exitCode,
  data: { type: 'http', status, headers: {}, body, httpVersion: '1.1' },
});
const refused: StepOutput = { stdout: '', stderr: 'curl: (7) Failed to connect to 10.0.0.1 port 80: Connection refused\n', exitCode: 7 };
const progress = (run: HarnessRun) => run.events.filter((e) => e.hook === 'onStepProgress').map((e) => e.args[2] as string);

describe('retries of read-only steps', () => {
  const plan = planFrom(md('curl -s http://10.0.0.1/v2/models/iris', '{"name":"iris"}'));

  it('a 200 with a different body is attempted once: the same request gets the same answer', async () => {
    const run = await runPlan(plan, { fakes: { curl: () => http(200, '{"name":"other"}') } });
    expect(run.ended[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(run.calls).toHaveLength(1);
    expect(progress(run)).toEqual([]);
  });

  it('a 503 then a 200 passes on attempt 2, saying why it retried and the budget left', async () => {
    const run = await runPlan(plan, {
      fakes: { curl: (_args, _ctx, call) => (call === 1 ? http(503, 'no healthy upstream') : http(200, '{"name":"iris"}')) },
      options: { retryBudgetMs: 25_000 },
    });
    expect(run.ended[0]).toMatchObject({ status: 'passed', attempts: 2 });
    expect(progress(run)).toEqual(['retrying: HTTP 503 (budget 25s left)']);
  });

  it('a connection refused is retried until the budget is spent, the budget shrinking in each message', async () => {
    const run = await runPlan(plan, { fakes: { curl: () => refused }, options: { retryBudgetMs: 10_000 } });
    const report = run.ended[0];
    expect(report).toMatchObject({ status: 'failed' });
    expect(report?.attempts).toBeGreaterThan(5);
    expect(report?.durationMs).toBeGreaterThan(8_000);
    expect(report?.durationMs).toBeLessThanOrEqual(10_000);
    const messages = progress(run);
    expect(messages).toHaveLength((report?.attempts ?? 0) - 1);
    expect(messages[0]).toBe('retrying: connection refused (budget 10s left)');
    expect(messages.at(-1)).toMatch(/^retrying: connection refused \(budget \d\.\ds left\)$/);
  });

  it('a 404 while objects converge and an empty capture are retried; a build is not', async () => {
    // A 404 is transient only after a write of this runbook (transient.test.ts): the apply comes first.
    const afterApply = planFrom(md('kubectl apply -f iris.yaml', 'model.mlops.seldon.io/iris created') + md('curl -s http://10.0.0.1/v2/models/iris', '{"name":"iris"}'));
    const notYet = await runPlan(afterApply, {
      fakes: {
        apply: () => ok('model.mlops.seldon.io/iris created\n'),
        curl: (_args, _ctx, call) => (call < 3 ? http(404, 'not found') : http(200, '{"name":"iris"}')),
      },
    });
    expect(notYet.ended[1]).toMatchObject({ status: 'passed', attempts: 3 });
    const capture = planFrom("```python\nIP=!kubectl get svc gw -o jsonpath='{.status.loadBalancer.ingress[0].ip}'\nIP=IP[0]\nIP\n```\n\n    '10.0.0.1'\n");
    const empty = await runPlan(capture, {
      fakes: {
        capture: (_args, _ctx, call) => {
          const value = call === 1 ? '' : '10.0.0.2';
          return { ...ok(`'${value}'\n`), vars: { IP: value }, data: { type: 'value', variable: 'IP', value } };
        },
      },
    });
    expect(empty.ended[0]).toMatchObject({ status: 'passed', attempts: 2 });
    expect(progress(empty)[0]).toMatch(/^retrying: IP is empty/);
    const build = planFrom(md('kustomize build config', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a'));
    expect(build.steps[0]?.kind).toBe('build');
    const drifted = await runPlan(build, { fakes: { build: () => ok('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n') } });
    expect(drifted.ended[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('a shell step marked read-only is still retried on any difference: its output is opaque', async () => {
    const run = await runPlan(planFrom(md('kubectl get pods', 'ready', 'read-only')), {
      fakes: { shell: (_args, _ctx, call) => ok(call < 4 ? 'pending\n' : 'ready\n') },
    });
    expect(run.ended[0]).toMatchObject({ status: 'passed', attempts: 4 });
  });
});

describe('failureLine', () => {
  const text = ['# Title', '', ...md('echo a; echo b; echo c', 'a\nb\nc').split('\n')].join('\n');
  const plan = planFrom(text);
  const step = plan.steps[0]!;
  const lineOf = (content: string) => text.split('\n').indexOf(content) + 1;

  it('maps the first differing recorded line to its file line, and one past the end to the last line', () => {
    expect(failureLine(step, 0)).toBe(lineOf('a'));
    expect(failureLine(step, 1)).toBe(lineOf('b'));
    expect(failureLine(step, 3)).toBe(lineOf('c'));
    expect(failureLine(step, undefined)).toBe(step.line);
    expect(step.line).toBe(lineOf('$ echo a; echo b; echo c'));
  });

  it('a failed step reports it; an error (no output difference) points at the command', async () => {
    const run = await runPlan(plan, { fakes: { shell: () => ok('a\nB\nc\n') } });
    expect(run.ended[0]?.status).toBe('failed');
    // The real text matcher names the first differing recorded line (index 1): the file line of `b`.
    expect(run.ended[0]?.failureLine).toBe(lineOf('b'));
    const broken = await runPlan(plan, {
      fakes: {
        shell: () => {
          throw new Error('spawn bash ENOENT');
        },
      },
    });
    expect(broken.ended[0]?.error).toBe('spawn bash ENOENT');
    expect(broken.ended[0]?.failureLine).toBe(step.line);
    const passed = await runPlan(plan, { fakes: { shell: () => ok('a\nb\nc\n') } });
    expect(passed.ended[0]?.failureLine).toBeUndefined();
  });
});
