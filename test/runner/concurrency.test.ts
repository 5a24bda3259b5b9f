/**
 * --concurrency against one real cluster: runbooks that write to the same namespace run one at a time, with one
 * run-level note saying why; runbooks in distinct namespaces, or each on its own sandbox, still run at once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetLease } from '../../src/runner/index.js';
import { applied, md, ok, planFrom, runPlans, type HarnessRun } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'runbook-harness-concurrency-'));
const manifest = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}`;
writeFileSync(path.join(dir, 'a.yaml'), manifest('a', 'team-a'));
writeFileSync(path.join(dir, 'b.yaml'), manifest('b', 'team-b'));
writeFileSync(path.join(dir, 'shared.yaml'), manifest('s', 'team-a'));
writeFileSync(path.join(dir, 'plain.yaml'), manifest('p'));

const runbook = (name: string, file: string, namespaceFlag = '') =>
  planFrom([md(`kubectl apply -f ${file}${namespaceFlag}`), md('echo done', 'done')].join('\n'), path.join(dir, `${name}.md`));

/** Runs the plans with --concurrency 2; each apply holds for a moment so that runbooks running at once overlap. */
async function run(plans: ReturnType<typeof runbook>[], provideTarget?: () => Promise<TargetLease>) {
  let active = 0;
  let most = 0;
  const result: HarnessRun = await runPlans(plans, {
    options: { concurrency: 2 },
    provideTarget,
    fakes: {
      apply: async () => {
        most = Math.max(most, ++active);
        await new Promise((resolve) => setTimeout(resolve, 30));
        active--;
        return applied('x');
      },
      shell: () => ok('done\n'),
    },
  });
  const notes = result.events.filter((e) => e.hook === 'onRunStart').map((e) => e.args[1]);
  return { most, notes, result };
}

describe('--concurrency on one real cluster', () => {
  it('runbooks that write to the same namespace run one at a time, with one note naming them', async () => {
    const { most, notes, result } = await run([runbook('one', 'a.yaml'), runbook('two', 'shared.yaml')]);
    expect(most).toBe(1);
    expect(notes).toEqual([
      [
        `--concurrency 2: running the runbooks one at a time, because they share the cluster of the current context and ${path.join(dir, 'one.md')} and ${path.join(dir, 'two.md')} both write to namespace team-a, so one runbook's cleanup could delete another's objects`,
      ],
    ]);
    expect(result.report.runbooks.map((r) => r.status)).toEqual(['passed', 'passed']);
  });

  it('objects without a namespace share the context default namespace; -n gives them one', async () => {
    expect((await run([runbook('one', 'plain.yaml'), runbook('two', 'plain.yaml')])).most).toBe(1);
    const distinct = await run([runbook('one', 'plain.yaml', ' -n team-x'), runbook('two', 'plain.yaml', ' -n team-y')]);
    expect(distinct.most).toBe(2);
  });

  it('a kustomize build, whose namespaces are unknown before it runs, runs alone', async () => {
    const build = planFrom(md('kubectl apply -k config'), path.join(dir, 'built.md'));
    const { most, notes } = await run([build, runbook('two', 'b.yaml')]);
    expect(most).toBe(1);
    expect(String(notes[0])).toMatch(/built\.md applies a kustomize build \(step 0\)/);
  });

  it("a seldon load, which goes to the scheduler's namespace whatever the runbook says, runs alone; a seldon read does not", async () => {
    const loads = planFrom(md('seldon model load -f model.yaml'), path.join(dir, 'loads.md'));
    const serial = await run([loads, runbook('two', 'b.yaml')]);
    expect(serial.most).toBe(1);
    expect(String(serial.notes[0])).toMatch(/loads\.md loads or unloads through Seldon's scheduler \(step 0\)/);
    const reads = planFrom(md('seldon model status iris'), path.join(dir, 'reads.md'));
    expect((await run([reads, runbook('one', 'a.yaml')])).notes).toEqual([undefined]);
  });

  it('runbooks in distinct namespaces run at once, without a note', async () => {
    const { most, notes } = await run([runbook('one', 'a.yaml'), runbook('two', 'b.yaml')]);
    expect(most).toBe(2);
    expect(notes).toEqual([undefined]);
  });

  it('each runbook on its own sandbox runs at once, whatever its namespaces', async () => {
    const lease = async (): Promise<TargetLease> => ({ kubeconfig: path.join(dir, 'none'), connectTo: [], release: async () => undefined });
    const { most, notes } = await run([runbook('one', 'a.yaml'), runbook('two', 'shared.yaml')], lease);
    expect(most).toBe(2);
    expect(notes).toEqual([undefined]);
  });
});
