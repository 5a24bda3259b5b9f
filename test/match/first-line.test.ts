/**
 * Every matcher says which recorded line differs first (MatchResult.firstDifferingLine), so reports point at the
 * file line of the drift, not at the command. Expected indices are found by content in the recorded text.
 */
import { describe, expect, it } from 'vitest';
import { matchStep } from '../../src/match/index.js';
import { parseRunbook } from '../../src/parse/index.js';
import type { Step } from '../../src/core/model.js';
import type { StepOutput } from '../../src/core/step.js';
import { noSplits, outputFor, step } from './seed.js';

const linesOf = (s: Step) => s.expected!.text.split('\n');
const indexOf = (s: Step, test: (l: string) => boolean) => {
  const k = linesOf(s).findIndex(test);
  expect(k).toBeGreaterThan(0);
  return k;
};
/** The recorded text with one line changed, as the actual output. */
const changed = (s: Step, from: string, to: string): StepOutput => {
  expect(s.expected!.text).toContain(from);
  return outputFor(s, s.expected!.text.replace(from, to));
};
const firstLine = (s: Step, out: StepOutput) => {
  const r = matchStep(s, out, noSplits);
  expect(r.ok).toBe(false);
  return r.firstDifferingLine;
};

/** A one-step Markdown runbook in nbconvert's layout. */
function oneStep(command: string, recorded: string, directive = ''): Step {
  const block = recorded.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
  return parseRunbook('t.md', `${directive}\`\`\`python\n!${command}\n\`\`\`\n\n${block}\n`).steps[0]!;
}

describe('firstDifferingLine', () => {
  it('text: the first recorded line that differs, counting leading blank lines; extra output points at the end', () => {
    const s = oneStep('echo', 'alpha\nbeta 2024-01-01T10:00:00Z\ngamma\n...\nomega');
    expect(firstLine(s, outputFor(s, 'alpha\nbeta 2025-02-02T11:00:00Z\nGAMMA\nx\ny\nomega'))).toBe(2);
    expect(firstLine(s, outputFor(s, 'alpha\nbeta 2025-02-02T11:00:00Z\ngamma\nomega\nmore'))).toBe(4);
    expect(firstLine(s, outputFor(s, 'new first line\nalpha\nbeta [DATE]\ngamma\nomega'))).toBe(0);
  });

  it('expect=exact and expect=contains', () => {
    const exact = oneStep('echo', 'one\ntwo\nthree', '<!-- runbook: expect=exact -->\n');
    expect(firstLine(exact, outputFor(exact, 'one\ntwo\nthree!'))).toBe(2);
    const contains = oneStep('echo', 'one\ntwo\nthree', '<!-- runbook: expect=contains -->\n');
    expect(firstLine(contains, outputFor(contains, 'zero\none\nTWO\nthree\nfour'))).toBe(1);
  });

  it('apply/delete lines: the line of the object that did not come back', () => {
    const apply = step(8);
    const [, second] = linesOf(apply);
    const out = outputFor(apply, linesOf(apply).filter((l) => l !== second).join('\n'));
    expect(firstLine(apply, out)).toBe(1);
  });

  it('build: the line of the differing key inside its object document', () => {
    const build = step(1);
    const k = indexOf(build, (l) => l.includes('istio: ingressgateway'));
    expect(firstLine(build, changed(build, 'istio: ingressgateway', 'istio: other'))).toBe(k);
    const model = indexOf(build, (l) => l.includes('storageUri:'));
    expect(firstLine(build, changed(build, 'storageUri: gs://seldon-models/mlserver/iris', 'storageUri: gs://elsewhere'))).toBe(model);
  });

  it('curl -v: the status line, a header line, the body line', () => {
    const curl = step(4);
    const status = indexOf(curl, (l) => l.startsWith('< HTTP/1.1'));
    expect(firstLine(curl, changed(curl, 'HTTP/1.1 200 OK', 'HTTP/1.1 503 Service Unavailable'))).toBe(status);
    const route = indexOf(curl, (l) => l.startsWith('< seldon-route'));
    expect(firstLine(curl, changed(curl, 'seldon-route: iris_1', 'seldon-route: iris_9'))).toBe(route);
    const body = indexOf(curl, (l) => l.startsWith('{'));
    expect(firstLine(curl, changed(curl, '"data":[2]', '"data":[1]'))).toBe(body);
  });

  it('curl -i with a pretty JSON body: the line of the differing key; a text body: its differing line', () => {
    const recorded = 'HTTP/1.1 200 OK\ncontent-type: application/json\n\n{\n  "model_name": "iris",\n  "outputs": [\n    {\n      "data": [2]\n    }\n  ]\n}';
    const s = oneStep('curl -i http://h/v2/models/iris/infer', recorded);
    expect(s.kind).toBe('curl');
    const out = (text: string): StepOutput => ({ stdout: text.replace(/\n/g, '\r\n'), stderr: '', exitCode: 0 });
    expect(firstLine(s, out(recorded.replace('"data": [2]', '"data": [1]')))).toBe(indexOf(s, (l) => l.includes('"data"')));
    const text = oneStep('curl -s http://h/hello', 'hello\nworld\nbye');
    expect(firstLine(text, out('hello\nthere\nbye'))).toBe(1);
    const code = oneStep(`curl -s http://h/x -o /dev/null -w '%{http_code}'`, '404');
    expect(firstLine(code, out('200'))).toBe(0);
  });

  it('grpcurl: the line of the differing key; an error by its Code line', () => {
    const g = step(5);
    const k = indexOf(g, (l) => l.includes('"modelName"'));
    expect(firstLine(g, changed(g, '"modelName": "iris_1"', '"modelName": "other"'))).toBe(k);
    const deep = indexOf(g, (l) => l.includes('"int64Contents"'));
    expect(firstLine(g, changed(g, '"2"\n', '"3"\n'))).toBe(deep);
    const err = oneStep('grpcurl -plaintext h:80 inference.GRPCInferenceService/ModelInfer', 'ERROR:\n  Code: NotFound\n  Message: no model');
    expect(err.kind).toBe('grpcurl');
    expect(firstLine(err, outputFor(err, 'ERROR:\n  Code: Unavailable\n  Message: no model'))).toBe(1);
  });

  it('capture: the value line', () => {
    const c = step(0);
    expect(firstLine(c, outputFor(c, ''))).toBe(0);
  });
});
