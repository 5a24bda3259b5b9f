import { describe, expect, it } from 'vitest';
import {
  answeredModel,
  checkSplit,
  chiSquareSurvival,
  experimentsFromManifests,
  grpcPath,
  splitAccepts,
  splitForStep,
  splitsFromManifests,
  urlPath,
} from '../../src/match/index.js';
import { outputFor, seedPlan, splitContext } from './seed.js';

const vs = (name: string, weights: [string, number | undefined][], prefix = '/v2') => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name, namespace: 'seldon-mesh' },
  spec: {
    http: [
      {
        name: 'r',
        match: [{ uri: { prefix } }],
        route: weights.map(([model, weight]) => ({
          destination: { host: 'seldon-mesh' },
          headers: { request: { set: { 'seldon-model': model } } },
          ...(weight === undefined ? {} : { weight }),
        })),
      },
    ],
  },
});

describe('splitsFromManifests', () => {
  it('reads the seed traffic split: both rules, both models, 50/50', () => {
    const { splits } = splitContext();
    expect(splits).toHaveLength(2);
    expect(splits[0]).toEqual({
      namespace: 'seldon-mesh',
      virtualService: 'iris-route',
      route: 'iris-http',
      uris: [{ type: 'prefix', value: '/v2/models/iris' }],
      destinations: [
        { host: 'seldon-mesh.seldon-mesh.svc.cluster.local', model: 'iris1', weight: 50 },
        { host: 'seldon-mesh.seldon-mesh.svc.cluster.local', model: 'iris2', weight: 50 },
      ],
    });
    expect(splits[1]!.uris).toEqual([{ type: 'prefix', value: '/inference.GRPCInferenceService' }]);
  });

  it('ignores single-model routes and other kinds; a later manifest replaces an earlier one', () => {
    expect(splitsFromManifests([vs('a', [['iris', undefined]]), { kind: 'Model', metadata: { name: 'x' } }, null, 'text'])).toEqual([]);
    const replaced = splitsFromManifests([vs('a', [['m1', 50], ['m2', 50]]), vs('a', [['m3', 90], ['m4', 10]])]);
    expect(replaced.map((s) => s.destinations.map((d) => `${d.model}:${d.weight}`))).toEqual([['m3:90', 'm4:10']]);
  });

  it('a destination without weight among several gets none', () => {
    const [split] = splitsFromManifests([vs('a', [['m1', 100], ['m2', undefined]])]);
    expect(split!.destinations.map((d) => d.weight)).toEqual([100, 0]);
    expect(splitAccepts([split!], 'm1_1', 'm2_1')).toBe(false);
    expect(splitAccepts([split!], 'm2_1', 'm1_1')).toBe(true);
  });
});

describe('experimentsFromManifests', () => {
  const experiment = (name: string, candidates: string[]) => ({
    apiVersion: 'mlops.seldon.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name },
    spec: { default: candidates[0], candidates: candidates.map((c) => ({ name: c, weight: 50 })) },
  });
  it('gives each experiment its candidates, the latest manifest of a name winning', () => {
    expect(experimentsFromManifests([experiment('ab', ['iris', 'iris2']), experiment('p', ['pipeline-add10', 'pipeline-mul10'])])).toEqual([
      ['iris', 'iris2'],
      ['pipeline-add10', 'pipeline-mul10'],
    ]);
    expect(experimentsFromManifests([experiment('ab', ['iris', 'iris2']), experiment('ab', ['iris', 'iris3'])])).toEqual([['iris', 'iris3']]);
  });
  it('ignores what spreads nothing: one candidate, other kinds, other groups', () => {
    expect(experimentsFromManifests([experiment('one', ['iris']), vs('a', [['iris', 50], ['iris2', 50]]), { ...experiment('x', ['a', 'b']), apiVersion: 'example.com/v1' }])).toEqual([]);
  });
});

describe('splitAccepts', () => {
  const { splits } = splitContext();
  it('accepts any version of any destination, in the same form', () => {
    expect(splitAccepts(splits, 'iris1_1', 'iris2_1', '/v2/models/iris/infer')).toBe(true);
    expect(splitAccepts(splits, 'iris1_1', 'iris2_12')).toBe(true);
    expect(splitAccepts(splits, ':iris1_1:', ':iris2_3:')).toBe(true);
    expect(splitAccepts(splits, 'iris1_1', 'iris2')).toBe(false);
    expect(splitAccepts(splits, 'iris1_1', 'iris3_1')).toBe(false);
    expect(splitAccepts(splits, 'iris_1', 'iris2_1')).toBe(false);
  });

  it('only on the routes the split covers', () => {
    expect(splitAccepts(splits, 'iris1_1', 'iris2_1', '/v2/models/other/infer')).toBe(false);
    expect(splitAccepts(splits, 'iris1_1', 'iris2_1', '/inference.GRPCInferenceService/ModelInfer')).toBe(true);
  });

  it('paths of requests as written in a runbook', () => {
    expect(urlPath('http://${INGRESS_IP}/v2/models/iris/infer')).toBe('/v2/models/iris/infer');
    expect(urlPath('localhost:8080/a?b=c')).toBe('/a');
    expect(urlPath('http://host')).toBe('/');
    expect(grpcPath('inference.GRPCInferenceService/ModelInfer')).toBe('/inference.GRPCInferenceService/ModelInfer');
    expect(grpcPath('inference.GRPCInferenceService.ModelInfer')).toBe('/inference.GRPCInferenceService/ModelInfer');
  });
});

describe('for --verify-splits', () => {
  const plan = seedPlan();
  it('finds the split of the traffic-split requests only', () => {
    const ctx = splitContext();
    expect(splitForStep(plan.steps[10]!, ctx)?.route).toBe('iris-http');
    expect(splitForStep(plan.steps[11]!, ctx)?.route).toBe('iris-grpc');
    expect(splitForStep(plan.steps[4]!, ctx)).toBeUndefined();
    expect(splitForStep(plan.steps[8]!, ctx)).toBeUndefined();
  });

  it('reads which model answered', () => {
    const curl = plan.steps[10]!;
    expect(answeredModel(curl, outputFor(curl, curl.expected!.text.replaceAll('iris1_1', 'iris2_1')))).toBe('iris2');
    const grpc = plan.steps[11]!;
    expect(answeredModel(grpc, outputFor(grpc, grpc.expected!.text))).toBe('iris1');
    const headerOnly = { stdout: 'not json', stderr: '< HTTP/1.1 200 OK\n< x-seldon-route: :iris2_1:\n<\n', exitCode: 0 };
    expect(answeredModel(curl, headerOnly)).toBe('iris2');
  });
});

describe('checkSplit (chi-square, p > 0.001)', () => {
  const fifty = [
    { model: 'iris1', weight: 50 },
    { model: 'iris2', weight: 50 },
  ];
  it('passes a fair sample and reports the shares', () => {
    const r = checkSplit(fifty, { iris1: 52, iris2: 48 });
    expect(r.ok).toBe(true);
    expect(r.statistic).toBeCloseTo(0.16, 10);
    expect(r.pValue).toBeCloseTo(0.6892, 3);
    expect(r.shares.map((s) => [s.model, s.observedShare, s.expectedShare])).toEqual([
      ['iris1', 0.52, 0.5],
      ['iris2', 0.48, 0.5],
    ]);
  });

  it('fails a lopsided sample', () => {
    const r = checkSplit(fifty, { iris1: 80, iris2: 20 });
    expect(r.ok).toBe(false);
    expect(r.pValue).toBeLessThan(0.001);
  });

  it('fails when a model outside the split or with no weight answers', () => {
    expect(checkSplit(fifty, { iris1: 50, iris2: 49, iris3: 1 })).toMatchObject({ ok: false, unexpected: ['iris3'] });
    expect(checkSplit([...fifty, { model: 'iris0', weight: 0 }], { iris1: 5, iris0: 1 }).ok).toBe(false);
  });

  it('weights need not sum to 100', () => {
    expect(checkSplit([{ model: 'a', weight: 3 }, { model: 'b', weight: 1 }], { a: 75, b: 25 }).ok).toBe(true);
    expect(checkSplit([{ model: 'a', weight: 3 }, { model: 'b', weight: 1 }], { a: 50, b: 50 }).ok).toBe(false);
  });

  it('the chi-square tail matches known quantiles', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(10.827566, 1)).toBeCloseTo(0.001, 6);
    expect(chiSquareSurvival(13.815511, 2)).toBeCloseTo(0.001, 6);
    expect(chiSquareSurvival(0.5, 4)).toBeCloseTo(0.973501, 5);
    expect(chiSquareSurvival(30, 3)).toBeCloseTo(1.3800e-6, 9);
    expect(chiSquareSurvival(0, 2)).toBe(1);
  });
});
