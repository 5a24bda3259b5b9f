import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';
import { matchStep } from '../../src/match/index.js';
import { isReadOnly } from '../../src/match/read-only.js';
import type { Step } from '../../src/core/model.js';

/** The seldon step of a one-command runbook whose recorded output is `recorded`. */
function seldonStep(command: string, recorded: string): Step {
  const plan = parseRunbook('t.md', ['```bash', command, '```', '```output', recorded, '```', ''].join('\n'));
  const step = plan.steps[0]!;
  expect(step.kind).toBe('seldon');
  return step;
}

const printed = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const ok = (command: string, recorded: string, shown: string) => matchStep(seldonStep(command, recorded), printed(shown), { splits: [] }).ok;

const STATUS = (uid: string, version: number, time: string, status: string) =>
  `{"pipelineName":"tfsimples", "versions":[{"pipeline":{"name":"tfsimples", "uid":"${uid}", "version":${version}, "kubernetesMeta":{}}, "state":{"pipelineVersion":${version}, "status":"${status}", "lastChangeTimestamp":"${time}", "modelsReady":true}}]}`;

describe('seldon matcher', () => {
  it('compares status JSON structurally: uids, versions and timestamps are volatile, states are not', () => {
    const recorded = STATUS('ciep26qi8ufs73flaiqg', 2, '2023-06-29T14:05:04.46Z', 'PipelineReady');
    expect(ok('seldon pipeline status tfsimples', recorded, STATUS('d4k2l1sq3cbs73c0e6vg', 1, '2026-12-02T15:00:00.123456789Z', 'PipelineReady'))).toBe(true);
    expect(ok('seldon pipeline status tfsimples', recorded, STATUS('d4k2l1sq3cbs73c0e6vg', 1, '2026-12-02T15:00:00Z', 'PipelineFailed'))).toBe(false);
    // Spacing is not content: jq's pretty form of the same answer matches the one-line form.
    expect(ok('seldon pipeline status tfsimples', recorded, JSON.stringify(JSON.parse(recorded), null, 2))).toBe(true);
  });

  it('compares -i N as a traffic split: same total, only the recorded routes, no recorded side lost', () => {
    const cmd = `seldon model infer iris -i 50 '{"inputs": []}'`;
    const recorded = 'Success: map[:iris2_1::27 :iris_1::23]';
    expect(ok(cmd, recorded, 'Success: map[:iris2_1::31 :iris_1::19]\n')).toBe(true);
    expect(ok(cmd, recorded, 'Success: map[:iris2_1::20 :iris_1::30]\n')).toBe(true);
    // A side of the split gone (the experiment no longer splits) is drift, not chance: 0.54^50 ~ 1e-13.
    expect(ok(cmd, recorded, 'Success: map[:iris_1::50]\n')).toBe(false);
    const hundred = `seldon model infer iris -i 100 '{"inputs": []}'`;
    expect(ok(hundred, 'Success: map[:iris2_1::58 :iris_1::42]', 'Success: map[:iris2_1::48 :iris_1::52]\n')).toBe(true);
    // A recording is one sample: a skewed one (34/16 of a 50/50 split) then its mirror image still passes.
    expect(ok(cmd, 'Success: map[:iris2_1::34 :iris_1::16]', 'Success: map[:iris2_1::17 :iris_1::33]\n')).toBe(true);
    expect(ok(hundred, 'Success: map[:iris_1::100]', 'Success: map[:iris_1::100]\n')).toBe(true);
    expect(ok(cmd, recorded, 'Success: map[:iris2_1::30 :iris_1::19]\n')).toBe(false);
    expect(ok(cmd, recorded, 'Success: map[:iris3_1::25 :iris_1::25]\n')).toBe(false);
    // A pipeline's answer carries two route values (its model's, then `:NAME.pipeline:`): 2N in all.
    const pipeline = `seldon pipeline infer pipeline-add10 -i 50 '{"inputs": []}'`;
    const both = 'Success: map[:add10_1::34 :mul10_1::16 :pipeline-add10.pipeline::34 :pipeline-mul10.pipeline::16]';
    expect(ok(pipeline, both, 'Success: map[:add10_1::27 :mul10_1::23 :pipeline-add10.pipeline::27 :pipeline-mul10.pipeline::23]\n')).toBe(true);
    expect(ok(pipeline, both, 'Success: map[:add10_1::27 :mul10_1::23]\n')).toBe(false);
  });

  it('takes routes of the experiment a run loaded for routes of it, and -s for one side the answer before chose', () => {
    const experiment = { splits: [], experiments: [['iris', 'iris2']] };
    const split = (command: string, recorded: string, shown: string, ctx: { splits: never[]; experiments?: string[][] } = experiment) =>
      matchStep(seldonStep(command, recorded), printed(shown), ctx).ok;
    const sticky = `seldon model infer iris -s -i 50 '{"inputs": []}'`;
    // The notebook's answer before was iris2's, this run's iris's: every sticky request follows it.
    expect(split(sticky, 'Success: map[:iris2_1::50]', 'Success: map[:iris_1::50]\n')).toBe(true);
    expect(split(sticky, 'Success: map[:iris2_1::50]', 'Success: map[:iris2_1::50]\n')).toBe(true);
    expect(split(sticky, 'Success: map[:iris2_1::50]', 'Success: map[:iris_1::49]\n')).toBe(false);
    // Without an experiment that holds both, another model is drift, sticky or not.
    expect(split(sticky, 'Success: map[:iris2_1::50]', 'Success: map[:iris_1::50]\n', { splits: [] })).toBe(false);
    expect(split(sticky, 'Success: map[:iris2_1::50]', 'Success: map[:iris3_1::50]\n')).toBe(false);
    // Not sticky: a recording that by chance saw one side accepts the other, but a recorded side lost is still drift.
    const plain = `seldon model infer iris -i 50 '{"inputs": []}'`;
    expect(split(plain, 'Success: map[:iris2_1::27 :iris_1::23]', 'Success: map[:iris2_1::31 :iris_1::19]\n')).toBe(true);
    expect(split(plain, 'Success: map[:iris2_1::27 :iris_1::23]', 'Success: map[:iris_1::50]\n')).toBe(false);
  });

  it('compares inspect lines by topic, request ids volatile, messages structurally', () => {
    const line = (id: string, data: string) => `seldon.default.model.tfsimple1.outputs\t${id}\t{"modelName":"tfsimple1_1", "outputs":[{"name":"OUTPUT0", "contents":{"intContents":[${data}]}}]}`;
    const recorded = line('cg5g6ogfh5ss73a44vvg', '2, 4');
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('d4k2l1sq3cbs73c0e6vg', '2, 4') + '\n')).toBe(true);
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('d4k2l1sq3cbs73c0e6vg', '2, 5') + '\n')).toBe(false);
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('d4k2l1sq3cbs73c0e6vg', '2, 4').replace('model.tfsimple1', 'model.tfsimple2') + '\n')).toBe(false);
  });

  it("takes a topic's namespace for the install's (a local install's default, seldon-mesh on Kubernetes), nothing else of it", () => {
    const line = (topic: string) => `${topic}\tcg5g6ogfh5ss73a44vvg\t{"outputs":[{"name":"OUTPUT0", "contents":{"intContents":[2, 4]}}]}`;
    const recorded = line('seldon.default.pipeline.tfsimple.outputs');
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('seldon.seldon-mesh.pipeline.tfsimple.outputs'))).toBe(true);
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('seldon.seldon-mesh.pipeline.tfsimple.inputs'))).toBe(false);
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('seldon.seldon-mesh.model.tfsimple.outputs'))).toBe(false);
    expect(ok('seldon pipeline inspect tfsimple', recorded, line('seldon.seldon-mesh.pipeline.tfsimple2.outputs'))).toBe(false);
  });

  it('retries only the verbs that read', () => {
    expect(isReadOnly(seldonStep('seldon model status iris', '{}'))).toBe(true);
    expect(isReadOnly(seldonStep('seldon pipeline inspect p', ''))).toBe(true);
    expect(isReadOnly(seldonStep('seldon model load -f m.yaml', '{}'))).toBe(false);
    expect(isReadOnly(seldonStep('seldon experiment stop e', '{}'))).toBe(false);
  });
});
