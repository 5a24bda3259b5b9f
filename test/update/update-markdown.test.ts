import { describe, expect, it } from 'vitest';
import { applyUpdates } from '../../src/update/index.js';
import { parseRunbook } from '../../src/parse/index.js';
import { matchStep, recordedForm } from '../../src/match/index.js';
import type { Plan } from '../../src/core/model.js';
import { outputFor, seedText, splitContext, noSplits } from '../match/seed.js';

const plan = (text: string, file = 'istio.md'): Plan => parseRunbook(file, text);
const recordedOf = (p: Plan) => p.steps.map((s) => s.expected!.text);

/** Seed outputs with real (not volatile) changes: what a drifted recording gets back from the system. */
function drift(text: string): string {
  return text
    .replace('"data":[2]}]}', '"data":[1]}]}')
    .replace('model.mlops.seldon.io/iris unchanged', 'model.mlops.seldon.io/iris9 unchanged')
    .replace('      - istio-system/seldon-gateway', '      - seldon-gateway')
    .replace('"modelName": "iris1_1"', '"modelName": "iris7_1"');
}

/** 1-based numbers of the lines that differ between two texts of the same line count. */
function changedLines(a: string, b: string): number[] {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y.length).toBe(x.length);
  return x.flatMap((l, k) => (l === y[k] ? [] : [k + 1]));
}

function blocks(p: Plan): [number, number][] {
  return p.steps.map((s) => {
    const l = s.expected!.location;
    if (l.format !== 'markdown') throw new Error('markdown expected');
    return [l.startLine, l.endLine];
  });
}

describe('applyUpdates on Markdown', () => {
  it('changes no byte when the outputs are the recorded ones', () => {
    const p = plan(seedText);
    const updates = p.steps.map((step) => ({ step, actual: step.expected!.text }));
    expect(applyUpdates('istio.md', Buffer.from(seedText), updates)).toBe(seedText);
  });

  it('changes no byte when the outputs differ only in volatile values', () => {
    const p = plan(seedText);
    const updates = p.steps.map((step) => ({
      step,
      actual: step.expected!.text.replace(/172\.21\.255\.1/g, '127.0.0.1').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '11111111-2222-3333-4444-555555555555'),
    }));
    expect(applyUpdates('istio.md', seedText, updates)).toBe(seedText);
  });

  it('restores a drifted copy exactly, touching only lines inside recorded blocks', () => {
    const drifted = drift(seedText);
    const p = plan(drifted);
    const actual = recordedOf(plan(seedText));
    const updates = p.steps.map((step, i) => ({ step, actual: actual[i]! }));
    const restored = applyUpdates('istio.md', drifted, updates);
    expect(restored).toBe(seedText);
    const inside = (n: number) => blocks(p).some(([a, b]) => n >= a && n <= b);
    const touched = changedLines(drifted, restored);
    expect(touched).toHaveLength(4);
    expect(touched.every(inside)).toBe(true);
  });

  it('keeps CRLF line endings and restores a CRLF copy byte for byte', () => {
    const crlf = seedText.replace(/\n/g, '\r\n');
    const drifted = drift(crlf);
    const p = plan(drifted);
    const actual = recordedOf(plan(crlf));
    expect(actual[4]).not.toContain('\r');
    const restored = applyUpdates('istio.md', Buffer.from(drifted), p.steps.map((step, i) => ({ step, actual: actual[i]! })));
    expect(restored).toBe(crlf);
    const same = applyUpdates('istio.md', crlf, plan(crlf).steps.map((step) => ({ step, actual: step.expected!.text })));
    expect(same).toBe(crlf);
  });

  it('writes a longer output as an indented block of the same indent, and the file passes afterwards', () => {
    const p = plan(seedText);
    const wait = p.steps[9]!;
    const actual = `${wait.expected!.text}\nmodel.mlops.seldon.io/iris3 condition met`;
    const next = applyUpdates('istio.md', seedText, [{ step: wait, actual }]);
    expect(next).toContain('    model.mlops.seldon.io/iris2 condition met\n    model.mlops.seldon.io/iris3 condition met\n');
    const again = plan(next).steps[9]!;
    expect(matchStep(again, outputFor(again, actual), splitContext()).ok).toBe(true);
    // Everything after the block moved down by one line and is otherwise unchanged.
    const before = seedText.split('\n');
    const after = next.split('\n');
    expect(after.length).toBe(before.length + 1);
    const end = (wait.expected!.location as { endLine: number }).endLine;
    expect(after.slice(end + 1)).toEqual(before.slice(end));
    expect(after.slice(0, end)).toEqual(before.slice(0, end));
  });

  it('keeps author patterns that still match and rewrites the line that changed', () => {
    const patterned = seedText
      .replace('    model.mlops.seldon.io/iris1 created\n', '    model.mlops.seldon.io/[..] created\n')
      .replace('    < date: Sat, 16 Apr 2022 15:35:01 GMT\n', '    < date: [DATE]\n')
      .replace('    < server: istio-envoy\n    < x-envoy-upstream-service-time: 801\n', '    ...\n')
      .replace('    < seldon-route: iris1_1\n', '    < seldon-route: iris[0-9]_1 (re)\n');
    const p = plan(patterned);
    const curl = p.steps[10]!;
    const actual = recordedOf(plan(seedText))[10]!.replace('"data":[2]', '"data":[0]');
    const next = applyUpdates('istio.md', patterned, [{ step: curl, actual }]);
    const lines = changedLines(patterned, next);
    expect(lines).toHaveLength(1);
    expect(next.split('\n')[lines[0]! - 1]).toContain('"data":[0]');
    expect(next).toContain('    < date: [DATE]\n    ...\n    < seldon-route: iris[0-9]_1 (re)\n');
  });

  it("keeps the lines a kind's matcher ignores: outcome words, curl's * lines, request and volatile headers", () => {
    const p = plan(seedText);
    const apply = p.steps[2]!;
    const curl = p.steps[4]!;
    const newerCurl = curl
      .expected!.text.replace('*   Trying 172.21.255.1...', '*   Trying 127.0.0.1:8080...')
      .replace('curl/7.47.0', 'curl/7.88.1')
      .replace('x-envoy-upstream-service-time: 802', 'x-envoy-upstream-service-time: 0')
      .replace('"data":[2]', '"data":[3]');
    const next = applyUpdates('istio.md', seedText, [
      { step: apply, actual: 'model.mlops.seldon.io/iris created\ngateway.networking.istio.io/seldon-gateway created\nvirtualservice.networking.istio.io/other created' },
      { step: curl, actual: newerCurl },
    ]);
    const touched = changedLines(seedText, next).map((n) => next.split('\n')[n - 1]);
    expect(touched).toEqual([
      '    virtualservice.networking.istio.io/other created',
      expect.stringContaining('"data":[3]'),
    ]);
  });

  it('inserts a block in the file style after a step that recorded nothing', () => {
    const line = '    model.mlops.seldon.io/iris condition met\n';
    const without = seedText.replace(`\n${line}`, '');
    const p = plan(without);
    const wait = p.steps[3]!;
    expect(wait.kind).toBe('wait');
    expect(wait.expected).toBeUndefined();
    const next = applyUpdates('istio.md', without, [{ step: wait, actual: 'model.mlops.seldon.io/iris condition met' }]);
    expect(next).toBe(seedText);
  });

  it('rewrites a fenced output block as a fence, and a console command gets its output inside its fence', () => {
    const doc = [
      '# t',
      '',
      '```sh',
      '$ kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh',
      'model.mlops.seldon.io/old condition met',
      '```',
      '',
      '```bash',
      '$ kubectl delete -f model.yaml',
      '```',
      '',
    ].join('\n');
    const p = plan(doc, 'doc.md');
    expect(p.steps.map((s) => s.kind)).toEqual(['wait', 'delete']);
    const [wait, del] = p.steps as [Plan['steps'][number], Plan['steps'][number]];
    const next = applyUpdates('doc.md', doc, [
      { step: wait, actual: 'model.mlops.seldon.io/iris condition met' },
      { step: del, actual: 'model.mlops.seldon.io "iris" deleted' },
    ]);
    expect(next).toBe(
      doc
        .replace('model.mlops.seldon.io/old condition met', 'model.mlops.seldon.io/iris condition met')
        .replace('$ kubectl delete -f model.yaml\n', '$ kubectl delete -f model.yaml\nmodel.mlops.seldon.io "iris" deleted\n'),
    );
  });

  it('uses recordedForm: a curl -v output is written as transcript then body', () => {
    const p = plan(seedText);
    const curl = p.steps[4]!;
    const out = outputFor(curl, curl.expected!.text.replace('"data":[2]', '"data":[5]'));
    const next = applyUpdates('istio.md', seedText, [{ step: curl, actual: recordedForm(curl, out) }]);
    expect(changedLines(seedText, next)).toHaveLength(1);
    const again = plan(next).steps[4]!;
    expect(matchStep(again, out, noSplits).ok).toBe(true);
  });
});
