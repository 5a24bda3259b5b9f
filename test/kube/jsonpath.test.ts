import { describe, expect, it } from 'vitest';
import { findJsonPath, goNumber, jsonPath, parseJsonPath } from '../../src/core/jsonpath.js';

const pod = {
  kind: 'Pod',
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', tier: 'front' } },
  spec: { containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'redis' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }], ratio: 0.25, big: 1234567.5, ok: false, none: null },
};

describe('kubectl JSONPath', () => {
  it.each([
    ['{.metadata.name}', 'web'],
    ['{.spec.containers[0].image}', 'nginx'],
    ['{.spec.containers[-1].name}', 'b'],
    ['{.spec.containers[*].name}', 'a b'],
    ['{.spec.containers[0:1].name}', 'a'],
    ['{.spec.containers[*].ports[0].containerPort}', '80'],
    ["{.spec.containers[?(@.name=='b')].image}", 'redis'],
    ['{.status.conditions[?(@.type=="Ready")].status}', 'True'],
    ['{.status.conditions[?(@.status!="True")].type}', ''],
    ['{.metadata.labels.app\\.kubernetes\\.io/name}', 'web'],
    ["{.metadata.labels['app.kubernetes.io/name']}", 'web'],
    ['{range .spec.containers[*]}{.name}={.image}{"\\n"}{end}', 'a=nginx\nb=redis\n'],
    ['{range .spec.containers[*]}[{range .ports[*]}{.containerPort}{end}]{end}', '[80][]'],
    ['name: {.metadata.name}, tier: {.metadata.labels.tier}', 'name: web, tier: front'],
    ['{.spec.containers[0].ports}', '[{"containerPort":80}]'],
    ['{.status.ratio} {.status.big} {.status.ok} {.status.none}', '0.25 1.2345675e+06 false <nil>'],
    ['{.status.missing}{.nothing[0]}', ''],
    ['{..image}', 'nginx redis'],
    ['{.spec.containers[0,1].name}', 'a b'],
    ['{$.kind}', 'Pod'],
    ['plain text', 'plain text'],
  ])('%s', (template, expected) => {
    expect(jsonPath(template, pod)).toBe(expected);
  });

  it('errors like kubectl on an index past the end and on filters of non-lists', () => {
    expect(() => jsonPath('{.spec.containers[5].name}', pod)).toThrow('array index out of bounds: index 5, length 2');
    expect(() => jsonPath('{.metadata[?(@.x=="y")]}', pod)).toThrow('is not array or slice and cannot be filtered');
  });

  it('rejects an unclosed action', () => {
    expect(() => parseJsonPath('{.metadata.name')).toThrow('unclosed action');
  });

  it('finds values without printing them', () => {
    expect(findJsonPath('{.status.conditions[*].type}', pod)).toEqual(['Ready', 'PodScheduled']);
  });

  it('prints numbers as Go does', () => {
    expect([goNumber(3), goNumber(0.5), goNumber(1e-5), goNumber(123456.5), goNumber(2.5e21)]).toEqual(['3', '0.5', '1e-05', '123456.5', '2.5e+21']);
  });
});
