import { describe, expect, it } from 'vitest';
import { formatDiff, matchStep } from '../../src/match/index.js';
import type { Step } from '../../src/core/model.js';
import { changed, noSplits, outputFor, seedPlan, splitContext } from './seed.js';

const plan = seedPlan();
const at = (i: number): Step => plan.steps[i]!;
const recorded = (i: number) => at(i).expected!.text;
const run = (i: number, text: string, ctx = i >= 7 ? splitContext() : noSplits) => {
  const result = matchStep(at(i), outputFor(at(i), text), ctx);
  return { ...result, shown: result.diff ? formatDiff(result.diff, { color: false }) : '' };
};

describe('the seed runbook against its own recording', () => {
  it.each(plan.steps.map((s) => [s.index, s.kind] as const))('step %i (%s) matches', (i) => {
    const result = run(i, recorded(i));
    expect(result.shown).toBe('');
    expect(result.ok).toBe(true);
  });
});

describe('volatile changes pass', () => {
  it('curl: another id, date, address, service time, content length and a newer curl transcript', () => {
    let text = recorded(4);
    text = changed(text, '83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5', '0f3c2a1b-9999-4abc-8def-0123456789ab');
    text = changed(text, 'Sat, 16 Apr 2022 15:34:11 GMT', 'Fri, 27 Nov 2026 09:01:02 GMT');
    text = changed(text, 'x-envoy-upstream-service-time: 802', 'x-envoy-upstream-service-time: 3');
    text = changed(text, 'content-length: 196', 'content-length: 200');
    text = changed(text, '*   Trying 172.21.255.1...', '* Host 127.0.0.1:40123 was resolved.\n* IPv4: 127.0.0.1\n*   Trying 127.0.0.1:40123...');
    text = changed(text, '* Connected to 172.21.255.1 (172.21.255.1) port 80 (#0)', '* Connected to 127.0.0.1 (127.0.0.1) port 40123');
    text = changed(text, '> Host: 172.21.255.1', '> Host: 127.0.0.1:40123');
    text = changed(text, 'curl/7.47.0', 'curl/8.5.0');
    expect(run(4, text).shown).toBe('');
  });

  it('curl: response headers in another order, and headers the recording did not show', () => {
    const text = changed(recorded(4), '< server: istio-envoy\n', '< x-request-id: abc\n< server: istio-envoy\n').replace(
      /< (content-type: application\/json)\n([\s\S]*?)(< seldon-route: iris_1\n)/,
      '$3$2< $1\n',
    );
    expect(run(4, text).ok).toBe(true);
  });

  it('apply: created for unchanged and configured', () => {
    const text = recorded(2).replaceAll('unchanged', 'created').replace('configured', 'unchanged');
    expect(run(2, text).ok).toBe(true);
  });

  it('apply: object lines in another order, with a warning on the way', () => {
    const lines = recorded(8).split('\n').reverse();
    const text = ['Warning: resource models/iris1 is missing the kubectl.kubernetes.io/last-applied-configuration annotation', ...lines].join('\n');
    expect(run(8, text).ok).toBe(true);
  });

  it('delete: the kubectl 1.34 form', () => {
    const text = recorded(6).replace(/ deleted$/gm, ' deleted from seldon-mesh namespace');
    expect(run(6, text).ok).toBe(true);
  });

  it('capture: another address', () => {
    expect(run(0, "'10.96.0.17'").ok).toBe(true);
  });

  it('grpcurl: same response', () => {
    expect(run(5, recorded(5)).ok).toBe(true);
  });
});

describe('traffic split', () => {
  const iris2 = (i: number) => recorded(i).replaceAll('iris1_1', 'iris2_1');

  it('accepts the other destination in the curl body and the seldon-route header', () => {
    expect(run(10, iris2(10)).shown).toBe('');
    expect(run(10, recorded(10).replaceAll('iris1_1', 'iris2_7')).ok).toBe(true);
  });

  it('accepts the other destination in a grpcurl response', () => {
    expect(run(11, iris2(11)).ok).toBe(true);
  });

  it('rejects it when no split was applied', () => {
    const result = run(10, iris2(10), noSplits);
    expect(result.ok).toBe(false);
    expect(result.shown).toContain('headers.seldon-route: expected "iris1_1", got "iris2_1"');
    expect(result.shown).toContain('body.model_name: expected "iris1_1", got "iris2_1"');
  });

  it('rejects a model outside the split', () => {
    const result = run(11, recorded(11).replace('iris1_1', 'iris3_1'));
    expect(result.shown).toBe('modelName: expected "iris1_1", got "iris3_1"');
  });
});

describe('real changes fail with a diff naming them', () => {
  it('curl body data [2] made [1]', () => {
    const result = run(4, changed(recorded(4), '"data":[2]', '"data":[1]'));
    expect(result.ok).toBe(false);
    expect(result.shown).toBe('body.outputs[0].data[0]: expected 2, got 1');
  });

  it('curl status', () => {
    const result = run(4, changed(recorded(4), '< HTTP/1.1 200 OK', '< HTTP/1.1 404 Not Found'));
    expect(result.shown.split('\n')[0]).toBe('status: expected 200, got 404');
  });

  it('grpcurl modelName', () => {
    const result = run(5, changed(recorded(5), '"modelName": "iris_1"', '"modelName": "iris_2"'));
    expect(result.ok).toBe(false);
    expect(result.shown).toBe('modelName: expected "iris_1", got "iris_2"');
  });

  it('apply line naming another object', () => {
    const result = run(2, changed(recorded(2), 'model.mlops.seldon.io/iris unchanged', 'model.mlops.seldon.io/iris9 unchanged'));
    expect(result.diff).toEqual({
      type: 'lines',
      missing: ['model.mlops.seldon.io/iris unchanged'],
      extra: ['model.mlops.seldon.io/iris9 unchanged'],
    });
  });

  it('apply outcome words count only when strict', () => {
    const s = { ...at(2), options: { strictOutcome: true } };
    const text = recorded(2).replace('configured', 'created');
    expect(matchStep(s, outputFor(s, text), noSplits).ok).toBe(false);
    expect(run(2, text).ok).toBe(true);
  });

  it('wait line for another model', () => {
    const result = run(9, changed(recorded(9), 'iris2 condition met', 'iris3 condition met'));
    expect(result.ok).toBe(false);
    expect(result.shown).toContain('- model.mlops.seldon.io/iris2 condition met');
    expect(result.shown).toContain('+ model.mlops.seldon.io/iris3 condition met');
  });

  it('a missing delete line', () => {
    const result = run(6, recorded(6).split('\n').slice(0, 2).join('\n'));
    expect(result.diff).toEqual({ type: 'lines', missing: ['virtualservice.networking.istio.io "iris-route" deleted'], extra: [] });
  });

  it('build with a changed gateway names the JSON path', () => {
    const result = run(1, changed(recorded(1), '- istio-system/seldon-gateway', '- seldon-gateway'));
    expect(result.shown).toBe(
      'VirtualService seldon-mesh/iris-route: spec.gateways[0]: expected "istio-system/seldon-gateway", got "seldon-gateway"',
    );
  });

  it('build with an object missing', () => {
    const docs = recorded(7).split('\n---\n');
    const result = run(7, docs.filter((d) => !d.includes('name: iris2')).join('\n---\n'));
    expect(result.shown).toBe('Model seldon-mesh/iris2: expected an object, got (missing)');
  });

  it('capture: a name where an address was recorded', () => {
    const result = run(0, "'a1b2.elb.amazonaws.com'");
    expect(result.ok).toBe(false);
    expect(result.shown).toContain('value: expected a quoted ipv4, got a quoted hostname');
  });

  it('capture: nothing', () => {
    expect(run(0, "''").ok).toBe(false);
  });
});
