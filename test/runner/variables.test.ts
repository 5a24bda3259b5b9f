/** What steps see: env < front matter env < --set < captures, and the temporary kubeconfig for --context. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { md, ok, planFrom, runPlan } from './harness.js';

describe('variable precedence', () => {
  const plan = planFrom(
    [
      '---',
      'env:',
      '  B: front',
      '  C: front',
      '  D: front',
      '---',
      '',
      md('echo first'),
      '```python\nD=!echo cap\nD=D[0]\nimport os\nos.environ["D"] = D\n```\n',
      md('echo last'),
    ].join('\n'),
  );
  const env = { A: 'env', B: 'env', C: 'env', D: 'env' };
  const set = { C: 'set', D: 'set' };
  const fakes = { shell: () => ok(), capture: () => ({ ...ok(), vars: { D: 'cap' } }) };
  const seen = (vars: Readonly<Record<string, string>>) => ({ A: vars.A, B: vars.B, C: vars.C, D: vars.D });

  it('the environment, then front matter env, then --set; a capture overrides --set for the steps after it only', async () => {
    const run = await runPlan(plan, { fakes, env, options: { set } });
    const [first, capture, last] = run.calls;
    expect(seen(first!.vars)).toEqual({ A: 'env', B: 'front', C: 'set', D: 'set' });
    expect(capture?.kind).toBe('capture');
    expect(seen(capture!.vars)).toEqual({ A: 'env', B: 'front', C: 'set', D: 'set' });
    expect(seen(last!.vars)).toEqual({ A: 'env', B: 'front', C: 'set', D: 'cap' });
  });

  it('each step gets its own copy: a step that changes its variables changes nothing for the next', async () => {
    const run = await runPlan(plan, {
      fakes: {
        ...fakes,
        shell: (_args, ctx) => {
          (ctx.vars as Record<string, string>).A = 'scribbled';
          return ok();
        },
      },
      env,
    });
    expect(run.calls[2]?.vars.A).toBe('env');
  });

  it('--context: shell steps get a KUBECONFIG list whose first file names the context, removed when the runbook ends', async () => {
    const plan = planFrom(md('kubectl get pods'));
    const run = await runPlan(plan, { fakes: { shell: () => ok() }, env: { KUBECONFIG: '/home/u/.kube/config' }, options: { context: 'staging' } });
    const [first, rest] = (run.calls[0]?.vars.KUBECONFIG ?? '').split(path.delimiter);
    expect(rest).toBe('/home/u/.kube/config');
    expect(first).toMatch(/runbook-context-/);
    expect(existsSync(first!)).toBe(false);
    // Checked while the step runs, the file exists and only sets the context.
    let during = '';
    await runPlan(plan, {
      fakes: { shell: (_args, ctx) => ((during = readFileSync(ctx.vars.KUBECONFIG!.split(path.delimiter)[0]!, 'utf8')), ok()) },
      options: { context: 'staging' },
    });
    expect(during).toBe('apiVersion: v1\nkind: Config\ncurrent-context: "staging"\n');
  });
});
