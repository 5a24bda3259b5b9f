import { describe, expect, it } from 'vitest';
import { judgeRerun, matchStep, normalisers, ruleCatalogue, withoutRules, type RuleDoc } from '../../src/match/index.js';
import { normaliseOnly } from '../../src/match/normalise.js';
import { compactJsonInLine } from '../../src/match/json-spacing.js';
import { producersOf, reorderActual } from '../../src/match/unordered.js';
import { parseTranscript } from '../../src/match/curl.js';
import { readFileSync } from 'node:fs';
import { seedPlan, stepOf } from './seed.js';

const plan = seedPlan();
const printed = (text: string) => ({ stdout: text, stderr: '', exitCode: 0, screen: text });
const judgeExample = (r: RuleDoc) => {
  const step = stepOf(r.kind ?? 'shell', r.recorded, r.command ?? (r.kind === 'curl' ? plan.steps.find((s) => s.kind === 'curl')!.command : 'true'));
  return { step, match: () => matchStep(step, printed(r.rerun), { splits: [] }) };
};

describe('the rule catalogue (the README table)', () => {
  it('names every text rule, and no rule twice', () => {
    const names = ruleCatalogue.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of normalisers) expect(names).toContain(n.name);
  });

  it("is the README's Volatile values table, row for row", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /### Volatile values\n([\s\S]*?)\n### /.exec(readme)?.[1] ?? '';
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]!.trim().replace(/`/g, '')]);
    expect(rows).toEqual(ruleCatalogue.map((r) => [r.name, r.scope.replace(/`/g, '')]));
  });

  it.each(ruleCatalogue.map((r) => [r.name, r] as const))('%s: its example re-run matches, and differs with the rule off', (name, r) => {
    const { step, match } = judgeExample(r);
    expect(match().ok).toBe(true);
    // CRLF only restates what reading lines does (`splitLines` drops the CRs that end a line), so it cannot be missed.
    if (name !== 'CRLF') expect(withoutRules([name], match).ok).toBe(false);
    const verdict = judgeRerun(step, r.rerun, { splits: [] });
    // Line endings alone make no difference at all for `compare`.
    if (name === 'CRLF') expect(verdict.verdict).toBe('same');
    else expect(verdict).toEqual({ verdict: 'volatile', rules: expect.arrayContaining([name]) as unknown });
  });
});

describe('each rule on a realistic line', () => {
  it.each([
    ['XID', '{"pipeline":{"name":"tfsimples","uid":"ciep26qi8ufs73flaiqg","version":1}}', '{"pipeline":{"name":"tfsimples","uid":"[XID]","version":1}}'],
    ['XID', 'seldon.default.pipeline.tfsimples.inputs\tcg5g6ogfh5ss73a44vvg\t{}', 'seldon.default.pipeline.tfsimples.inputs\t[XID]\t{}'],
    // 20 letters, or 20 digits, are words and numbers, not xids.
    ['XID', 'abcdefghijabcdefghij 12345678901234567890', 'abcdefghijabcdefghij 12345678901234567890'],
    ['CURL_TRACE', '* Expire in 0 ms for 6 (transfer 0x5579448c94f0)', '* Expire in [COUNT] ms for [COUNT] (transfer 0x[HEX])'],
    ['CURL_TRACE', '* Connection #0 to host 172.18.255.1 left intact', '* Connection #[COUNT] to host 172.18.255.1 left intact'],
    ['CURL_TRACE', 'Connection #0 is not a trace line', 'Connection #0 is not a trace line'],
    ['ENVOY_TIME', '< x-envoy-upstream-service-time: 11', '< x-envoy-upstream-service-time: [COUNT]'],
    ['ENVOY_TIME', 'Response header X-Envoy-Upstream-Service-Time:[11]', 'Response header X-Envoy-Upstream-Service-Time:[[COUNT]]'],
    ['SPLIT_TALLY', 'Success: map[:iris2_1::58 :iris_1::42]', 'Success: map[:iris2_1::[COUNT] :iris_1::[COUNT]]'],
    ['SPLIT_TALLY', 'map[a:1 b:2]', 'map[a:1 b:2]'],
    ['LOG_TIME', '2022-10-10 08:40:20,849 - mlserver - INFO', '[DATE] - mlserver - INFO'],
    ['CTIME', 'LAST DEPLOYED: Wed Jun 14 17:27:04 2023', 'LAST DEPLOYED: [DATE]'],
    ['CTIME', 'Thu Jun  1 09:05:00 UTC 2023', '[DATE]'],
    ['TIME_TAKEN', 'Time taken: 0.45 seconds', 'Time taken: [NUMBER] seconds'],
    ['VERSION', '"state":{"pipelineVersion":2,"status":"PipelineReady"}', '"state":{"pipelineVersion":[COUNT],"status":"PipelineReady"}'],
    ['VERSION', '      "version": 12,', '      "version": [COUNT],'],
    ['VERSION', '"model_version": "1", "versions": [1]', '"model_version": "1", "versions": [1]'],
    ['JSON_SPACING', '{"name":"OUTPUT1", "datatype":"INT64", "shape":[11, 12]}', '{"name":"OUTPUT1","datatype":"INT64","shape":[11,12]}'],
    ['JSON_SPACING', 'text {"a": "x y", "b": [1, 2]} more [1, 2', 'text {"a":"x y","b":[1,2]} more [1, 2'],
    ['JSON_SPACING', "python {'a': 1} and [IP]:[PORT] stay", "python {'a': 1} and [IP]:[PORT] stay"],
  ])('%s: %j', (name, input, output) => {
    expect(normaliseOnly(name, input)).toBe(output);
  });

  it('the comma part of a Python log time is no longer left behind', () => {
    expect(normalisers.filter((n) => n.name !== 'LOG_TIME').reduce((t, n) => n.apply(t), '2022-10-10 08:40:20,849 x')).toBe('[DATE],849 x');
    expect(normaliseOnly('LOG_TIME', '2022-10-10 08:40:20,849 x')).toBe('[DATE] x');
  });

  it('JSON spacing keeps author patterns in value position', () => {
    expect(compactJsonInLine('{"a": [..], "b": [NUMBER]}')).toBe('{"a":[..],"b":[NUMBER]}');
    expect(compactJsonInLine('{"a": "x  y"}')).toBe('{"a":"x  y"}');
  });
});

describe('real changes still fail', () => {
  const shell = (recorded: string, rerun: string, command = 'true') => matchStep(stepOf('shell', recorded, command), printed(rerun), { splits: [] }).ok;
  it.each([
    ['a prediction', '{"name":"predict", "data":[2]}', '{"name":"predict","data":[1]}'],
    ['a datatype', '{"name":"OUTPUT1", "datatype":"INT64"}', '{"name":"OUTPUT1","datatype":"INT32"}'],
    ['a field added', '{"name":"OUTPUT1", "datatype":"INT64"}', '{"name":"OUTPUT1","datatype":"INT64","parameters":{}}'],
    ['a shape', '"shape":[1, 16]', '"shape":[16]'],
    ['a state', '"status": "PipelineReady",', '"status": "PipelineFailed",'],
    ['a side of a split gone', 'Success: map[:iris2_1::58 :iris_1::42]', 'Success: map[:iris_1::100]'],
    ['an xid where a name was', 'seldon.default.model.tfsimple1.outputs\tciep26qi8ufs73flaiqg', 'seldon.default.model.tfsimple2.outputs\tciep26qi8ufs73flaiqg'],
    ['a unit', 'Time taken: 0.45 seconds', 'Time taken: 0.45 minutes'],
    ['an error', 'Error: rpc error: code = NotFound desc = model iris not found', 'Error: rpc error: code = Unavailable desc = model iris not found'],
    ['a version that is not a counter', '"version": "v1"', '"version": "v2"'],
    ['a CLI format change', 'Success: map[:iris_1::50]', 'map[:iris_1::50]'],
  ])('%s', (_what, recorded, rerun) => {
    expect(shell(recorded, rerun)).toBe(false);
  });

  it('unordered blocks forgive order only: a changed, added or lost row fails', () => {
    const headers = 'Response header Content-Type:[application/json]\nResponse header Seldon-Model:[iris]';
    const cmd = "seldon model infer iris --show-headers '{}'";
    expect(shell(headers, 'Response header Seldon-Model:[iris2]\nResponse header Content-Type:[application/json]', cmd)).toBe(false);
    expect(shell(headers, 'Response header Seldon-Model:[iris]', cmd)).toBe(false);
    const table = 'server\treplicas\n------\t--------\nmlserver\t1\ntriton\t1';
    expect(shell(table, 'server\treplicas\n------\t--------\ntriton\t1\nmlserver\t2', 'seldon server list')).toBe(false);
    expect(shell(table, 'server\treplicas\n------\t--------\ntriton\t1\nmlserver\t1\nextra\t1', 'seldon server list')).toBe(false);
    // Declared per producer: another command's rows keep their order.
    expect(shell(table, 'server\treplicas\n------\t--------\ntriton\t1\nmlserver\t1', 'seldon model list')).toBe(false);
  });

  it('producers come from the command', () => {
    expect(producersOf('curl -si http://x')).toEqual(['HTTP_HEADERS']);
    expect(producersOf("seldon model infer iris --show-headers '{}'")).toEqual(['SHOW_HEADERS']);
    expect(producersOf('seldon server list')).toEqual(['SERVER_LIST']);
    expect(producersOf('kubectl get pods')).toEqual([]);
  });

  it('reordering follows the recorded order and moves nothing else', () => {
    const recorded = 'before\n< a: 1\n< b: 2\n< c: 3\nafter';
    expect(reorderActual(recorded, 'before\n< c: 3\n< a: 1\n< b: 2\nafter', ['HTTP_HEADERS'])).toBe(recorded);
    expect(reorderActual(recorded, 'after\n< c: 3\n< a: 1\nbefore', ['HTTP_HEADERS'])).toBe('after\n< a: 1\n< c: 3\nbefore');
  });

  it('curl: blank lines the terminal moved around the body are no difference', () => {
    const curl = plan.steps.find((s) => s.kind === 'curl')!;
    const recorded = '< HTTP/1.1 200 OK\n< content-type: application/json\n<\n\n{"model_name":"iris_1",\n"outputs":[]}\n* Connection #0 to host 172.18.255.1 left intact';
    const rerun = '< HTTP/1.1 200 OK\n< content-type: application/json\n<\n{"model_name":"iris_1",\n\n"outputs":[]}\n\n* Connection #0 to host 172.18.255.1 left intact\n';
    expect(matchStep(stepOf('curl', recorded, curl.command), printed(rerun), { splits: [] }).ok).toBe(true);
    expect(matchStep(stepOf('curl', recorded, curl.command), printed(rerun.replace('iris_1', 'iris_2')), { splits: [] }).ok).toBe(false);
  });

  it('curl: a trace line inside the body is no body line; a body line is', () => {
    const t = parseTranscript('< HTTP/1.1 200 OK\n<\n{"a":\n* Connection #0 to host h left intact\n1}');
    expect(t.body).toBe('{"a":\n1}');
    expect(parseTranscript('< HTTP/1.1 200 OK\n<\nline one\n- two').body).toBe('line one\n- two');
  });
});
