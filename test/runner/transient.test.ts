/**
 * A 404 is retried only while a write of this runbook can still make the object appear (transient.ts): a runbook
 * that never applied what it asks for fails at once, one that just applied it still waits for it.
 */
import { describe, expect, it } from 'vitest';
import type { StepOutput } from '../../src/core/step.js';
import { NOT_FOUND_WINDOW_MS, retryReason } from '../../src/runner/transient.js';
import { md, ok, planFrom, runPlan } from './harness.js';

const http = (status: number, body: string): StepOutput => ({
  stdout: body,
  stderr: '',
  exitCode: 0,
  data: { type: 'http', status, headers: {}, body, httpVersion: '1.1' },
});
const curl = md('curl -s http://10.0.0.1/v2/models/iris', '{"name":"iris"}');
const apply = md('kubectl apply -f iris.yaml', 'model.mlops.seldon.io/iris created');
const applied = () => ok('model.mlops.seldon.io/iris created\n');

describe('404s and the writes that could end them', () => {
  it('fails a 404 at once when the runbook wrote nothing: no retry budget spent', async () => {
    const run = await runPlan(planFrom(curl), { fakes: { curl: () => http(404, 'not found') }, options: { retryBudgetMs: 60_000 } });
    expect(run.ended[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('retries a 404 right after an apply until the model answers', async () => {
    const run = await runPlan(planFrom(apply + curl), {
      fakes: { apply: applied, curl: (_a, _c, call) => (call < 3 ? http(404, 'not found') : http(200, '{"name":"iris"}')) },
    });
    expect(run.ended.map((r) => [r?.status, r?.attempts])).toEqual([['passed', 1], ['passed', 3]]);
  });

  it('stops retrying a 404 when the window after the last write closes, well before the budget', async () => {
    const run = await runPlan(planFrom(apply + curl), { fakes: { apply: applied, curl: () => http(404, 'not found') }, options: { retryBudgetMs: 60_000 } });
    const report = run.ended[1];
    expect(report).toMatchObject({ status: 'failed' });
    expect(report?.attempts).toBeGreaterThan(3);
    expect(report?.durationMs).toBeGreaterThanOrEqual(NOT_FOUND_WINDOW_MS - 2_000);
    expect(report?.durationMs).toBeLessThanOrEqual(NOT_FOUND_WINDOW_MS + 2_000);
  });

  it('treats gRPC NOT_FOUND and a tool that says NotFound the same way; other transient answers keep their budget', () => {
    const step = planFrom(curl).steps[0]!;
    const grpc: StepOutput = { stdout: '', stderr: '', exitCode: 5, data: { type: 'grpc', code: 5, codeName: 'NOT_FOUND' } };
    const kubectl: StepOutput = { stdout: '', stderr: 'Error from server (NotFound): models.mlops.seldon.io "iris" not found\n', exitCode: 1 };
    const reasons = (context: { sinceWriteMs?: number }) => [
      retryReason(step, grpc, undefined, context),
      retryReason(step, kubectl, undefined, context),
      retryReason(step, undefined, 'models "iris" not found', context),
      retryReason(step, http(503, 'no healthy upstream'), undefined, context),
    ];
    expect(reasons({})).toEqual([undefined, undefined, undefined, 'HTTP 503']);
    expect(reasons({ sinceWriteMs: NOT_FOUND_WINDOW_MS + 1 })).toEqual([undefined, undefined, undefined, 'HTTP 503']);
    expect(reasons({ sinceWriteMs: 500 })).toEqual(['gRPC NOT_FOUND', 'not found yet', 'not found yet', 'HTTP 503']);
  });
});
