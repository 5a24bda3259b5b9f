/** The target phase: a cluster the command provides replaces --kubeconfig, is marked sandbox and released. */
import { describe, expect, it } from 'vitest';
import { fakeKube, md, ok, planFrom, runPlans } from './harness.js';

describe('a provided target', () => {
  it('is used for kube access and connect-to, marked as a sandbox, and released after each runbook', async () => {
    const log: string[] = [];
    const plans = [planFrom(md('kubectl apply -f a.yaml'), '/tmp/a.md'), planFrom(md('curl http://10.0.0.1/'), '/tmp/b.md')];
    let lease = 0;
    const run = await runPlans(plans, {
      options: { kubeconfig: '/not/used' },
      provideTarget: async (plan) => {
        const n = ++lease;
        log.push(`start ${n} for ${plan.file}`);
        return { kubeconfig: `/tmp/sandbox-${n}/kubeconfig`, connectTo: [`10.0.0.1:80:127.0.0.1:${9000 + n}`], release: async () => void log.push(`stop ${n}`) };
      },
      loadKube: async () => fakeKube,
      fakes: {
        apply: (_args, ctx) => (log.push(`apply KUBECONFIG=${ctx.vars.KUBECONFIG} connect-to ${ctx.connectTo.map((c) => c.toPort).join()}`), ok()),
        curl: (_args, ctx) => (log.push(`curl connect-to ${ctx.connectTo.map((c) => c.toPort).join()}`), ok()),
      },
    });
    expect(log).toEqual([
      'start 1 for /tmp/a.md',
      'apply KUBECONFIG=/tmp/sandbox-1/kubeconfig connect-to 9001',
      'stop 1',
      'start 2 for /tmp/b.md',
      'curl connect-to 9002',
      'stop 2',
    ]);
    expect(run.report.runbooks.map((r) => r.target?.sandbox)).toEqual([true, true]);
  });

  it('a context the runbook does not allow stops it before any step, with the target in the report', async () => {
    const plan = planFrom(`---\ncontexts: [prod-*]\n---\n\n${md('echo hi')}`);
    const run = await runPlans([plan], { fakes: { shell: () => ok() } });
    expect(run.calls).toEqual([]);
    expect(run.hooks).toEqual(['onRunStart', 'onRunbookStart', 'onRunbookEnd', 'onRunEnd']);
    expect(run.report.runbooks[0]).toMatchObject({ status: 'failed', target: { context: 'test-context' } });
    expect(run.report.runbooks[0]?.error).toMatch(/does not match the runbook's contexts: prod-\*; nothing was run/);
  });
});
